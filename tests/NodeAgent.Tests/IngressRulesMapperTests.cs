using System.Net;
using WgIsolate.Core.Api;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Ingress;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.NodeAgent.Dataplane;

namespace WgIsolate.NodeAgent.Tests;

public class IngressRulesMapperTests
{
    private static readonly AppNetwork Network = new(
        "demo/receiver",
        "receiver",
        new WireGuardInterfaceSpec("wg-receiver", new WireGuardDeviceSpec(WireGuardKeys.GeneratePrivateKey(), 51820, []), InterfaceAddress.Parse("fd00:1:2:1::1/64"), [IPNetwork.Parse("fd00:1:2::/48")]));

    [Fact]
    public void Map_EachEntry_BecomesOneRuleOwnedAndPlacedLikeTheAppNetwork()
    {
        var spec = new NodeInterfaceSpec
        {
            Ingress =
            [
                new IngressSpec { Port = 1234, HostPort = 41234, Protocol = IngressProtocol.Tcp },
                new IngressSpec { Port = 53, HostPort = 5353, Protocol = IngressProtocol.Udp },
            ],
        };

        var rules = IngressRulesMapper.Map(spec, Network);

        Assert.Equal(
            [
                new IngressRule("demo/receiver", "receiver", IngressTransport.Tcp, 41234, 1234),
                new IngressRule("demo/receiver", "receiver", IngressTransport.Udp, 5353, 53),
            ],
            rules);
    }

    [Fact]
    public void Map_UnknownProtocol_NamesTheApp()
    {
        var spec = new NodeInterfaceSpec { Ingress = [new IngressSpec { Port = 1, HostPort = 2, Protocol = "SCTP" }] };

        var error = Assert.Throws<ArgumentException>(() => IngressRulesMapper.Map(spec, Network));

        Assert.Contains("ingress demo/receiver: protocol \"SCTP\"", error.Message);
    }
}
