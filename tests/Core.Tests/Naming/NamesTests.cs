using CsCheck;
using System.Text;
using WgIsolate.Core.Naming;

namespace WgIsolate.Core.Tests.Naming;

public class NamesTests
{
    [Theory]
    [InlineData("receiver", "wg-receiver")]
    [InlineData("twelve-chars", "wg-twelve-chars")]
    [InlineData("thirteen-char", "wg-3adc6cba4867")]
    public void WireGuard_FitsOrHashes(string name, string expected)
    {
        Assert.Equal(expected, InterfaceNames.WireGuard(name));
    }

    [Fact]
    public void Veth_LongName_UsesSha256HexCutToFifteenBytes()
    {
        Assert.Equal("veth1-e2db2b3b1", InterfaceNames.VethHost("receiver-long"));
        Assert.Equal("veth2-e2db2b3b1", InterfaceNames.VethApp("receiver-long"));
        Assert.Equal("veth1-receiver", InterfaceNames.VethHost("receiver"));
    }

    [Fact]
    public void Make_AnyName_GivesAValidLinkNameStableAcrossCalls()
    {
        Gen.String.Sample(name =>
        {
            var link = InterfaceNames.Make("veth1", name);
            return Encoding.UTF8.GetByteCount(link) <= 15 && link.StartsWith("veth1-", StringComparison.Ordinal)
                && !link.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)) && link == InterfaceNames.Make("veth1", name);
        }, iter: 500);
    }

    [Fact]
    public void Namespaces_HostAppKeepsItsNameUnlessTooLong_PodsAlwaysHash()
    {
        Assert.Equal("receiver", NamespaceNames.ForHostApp("receiver"));
        Assert.Equal(InterfaceNames.Make("ns", "a-much-longer-app-name"), NamespaceNames.ForHostApp("a-much-longer-app-name"));
        Assert.Matches("^wgi-[0-9a-f]{16}$", NamespaceNames.ForPod("demo", "receiver-7d9f-abcde"));
        Assert.NotEqual(NamespaceNames.ForPod("demo", "a"), NamespaceNames.ForPod("other", "a"));
    }
}
