using WgIsolate.Datapath.Namespaces;

namespace WgIsolate.Datapath.Tests.Protocol;

public class NameValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void NetnsName_Invalid_IsRejectedBeforeTouchingTheFilesystem(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => NamedNetworkNamespaces.PathOf(name));

        Assert.Contains($"network namespace name '{name}'", error.Message);
    }

    [Fact]
    public void NetnsPath_IsUnderRunNetns() => Assert.Equal("/run/netns/app1", NamedNetworkNamespaces.PathOf("app1"));

    [Fact]
    public void SysctlPath_TurnsDotsIntoSlashes() =>
        Assert.Equal("/proc/sys/net/ipv4/ip_unprivileged_port_start", Sysctl.PathOf("net.ipv4.ip_unprivileged_port_start"));

    [Fact]
    public void InterfaceSysctlPath_KeepsDotsInTheInterfaceName() =>
        Assert.Equal("/proc/sys/net/ipv6/conf/veth1.2/accept_dad", Sysctl.InterfacePathOf("ipv6", "veth1.2", "accept_dad"));

    [Theory]
    [InlineData("net/../../etc")]
    [InlineData("net..ipv4")]
    [InlineData(".net")]
    [InlineData("")]
    public void SysctlPath_Malformed_IsRejected(string key) => Assert.Throws<ArgumentException>(() => Sysctl.PathOf(key));
}
