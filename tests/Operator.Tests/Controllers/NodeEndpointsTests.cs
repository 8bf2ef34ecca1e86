using System.Net;
using k8s.Models;
using WgIsolate.Operator.Controllers;

namespace WgIsolate.Operator.Tests.Controllers;

public sealed class NodeEndpointsTests
{
    private static V1Node Node(Dictionary<string, string>? annotations = null, params (string Type, string Address)[] addresses) => new()
    {
        Metadata = new V1ObjectMeta { Name = "node-1", Annotations = annotations },
        Status = new V1NodeStatus { Addresses = [.. addresses.Select(a => new V1NodeAddress { Address = a.Address, Type = a.Type })] },
    };

    [Fact]
    public void Resolve_DualStackNode_PrefersTheIPv6InternalIP()
    {
        var node = Node(null, ("Hostname", "node-1"), ("InternalIP", "10.0.0.5"), ("ExternalIP", "2001:db8::99"), ("InternalIP", "2001:db8::10"));

        Assert.Equal(IPAddress.Parse("2001:db8::10"), NodeEndpoints.Resolve(node).Address);
    }

    [Fact]
    public void Resolve_IPv4OnlyNode_UsesTheIPv4InternalIP() =>
        Assert.Equal(IPAddress.Parse("10.0.0.5"), NodeEndpoints.Resolve(Node(null, ("InternalIP", "10.0.0.5"))).Address);

    [Fact]
    public void Resolve_Annotation_OverridesTheInternalIP()
    {
        var node = Node(new() { [NodeEndpoints.AddressAnnotation] = "192.0.2.7" }, ("InternalIP", "2001:db8::10"));

        Assert.Equal(IPAddress.Parse("192.0.2.7"), NodeEndpoints.Resolve(node).Address);
    }

    [Fact]
    public void Resolve_InvalidAnnotation_ReportsTheNodeAndValueInsteadOfFallingBack()
    {
        var (address, problem) = NodeEndpoints.Resolve(Node(new() { [NodeEndpoints.AddressAnnotation] = "not-an-ip" }, ("InternalIP", "10.0.0.5")));

        Assert.Null(address);
        Assert.Contains("node-1", problem);
        Assert.Contains("not-an-ip", problem);
    }

    [Fact]
    public void Resolve_NoInternalIP_ReportsIt() => Assert.Contains("no InternalIP", NodeEndpoints.Resolve(Node(null, ("Hostname", "n"))).Problem);

    [Theory]
    [InlineData("2001:db8::10", 51820, "[2001:db8::10]:51820")]
    [InlineData("10.0.0.5", 51821, "10.0.0.5:51821")]
    public void Format_WritesWireGuardEndpoints(string address, int port, string expected) =>
        Assert.Equal(expected, NodeEndpoints.Format(IPAddress.Parse(address), port));
}
