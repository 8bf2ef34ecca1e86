using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Tests.Protocol;

public class ErrnoExceptionTests
{
    [Fact]
    public void Message_NamesOperationStrerrorAndSymbol()
    {
        var error = new ErrnoException(Errno.EEXIST, "open /run/netns/x");

        Assert.Equal("open /run/netns/x: File exists (EEXIST)", error.Message);
        Assert.Equal("EEXIST", error.ErrnoName);
    }

    [Fact]
    public void Describe_UnknownErrno_StillGivesANumber() => Assert.EndsWith("(errno 4000)", Errno.Describe(4000));
}
