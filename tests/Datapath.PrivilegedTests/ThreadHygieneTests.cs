using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.PrivilegedTests.Support;
using Xunit.Sdk;

namespace WgIsolate.Datapath.PrivilegedTests;

public class ThreadHygieneTests : KernelTest
{
    [PrivilegedFact]
    public void Check_ThreadLeftInAnotherNamespace_IsReported()
    {
        using var netns = NamedNetworkNamespaces.Open(CreateNamespace("h"));
        using var host = NamedNetworkNamespaces.OpenCurrent();
        using var switched = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var restored = -1;
        var thread = new Thread(() =>
        {
            Tmds.Linux.LibC.setns(netns.Fd, 0x40000000);
            switched.Set();
            release.Wait();
            restored = Tmds.Linux.LibC.setns(host.Fd, 0x40000000);
        });
        thread.Start();
        switched.Wait();

        var error = Record.Exception(ThreadHygiene.AssertEveryThreadInHostNamespace);

        release.Set();
        thread.Join();
        Assert.Equal(0, restored);
        Assert.IsType<TrueException>(error);
        Assert.Contains("threads left outside the host netns", error.Message);
    }
}
