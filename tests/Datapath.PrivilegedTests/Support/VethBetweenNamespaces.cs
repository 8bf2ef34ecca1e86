using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Datapath.PrivilegedTests.Support;

/// <summary>Two fresh namespaces A and B joined by veth "va0" (in A) / "vb0" (in B), both ends and lo up.</summary>
public abstract class VethBetweenNamespaces : KernelTest
{
    protected VethBetweenNamespaces()
    {
        NameA = CreateNamespace("a");
        NameB = CreateNamespace("b");
        var netnsA = Track(NamedNetworkNamespaces.Open(NameA));
        NetnsB = Track(NamedNetworkNamespaces.Open(NameB));
        A = Track(RouteNetlink.OpenIn(netnsA));
        B = Track(RouteNetlink.OpenIn(NetnsB));
        VethA = A.Links.CreateVethPair("va0", "vb0", NetnsB).Index;
        VethB = B.Links.Get("vb0").Index;
        foreach (var (side, link) in new[] { (A, "va0"), (A, "lo"), (B, "vb0"), (B, "lo") })
        {
            side.Links.EnsureUp(link);
        }
    }

    protected string NameA { get; }

    protected string NameB { get; }

    protected NetnsHandle NetnsB { get; }

    protected RouteNetlink A { get; }

    protected RouteNetlink B { get; }

    protected int VethA { get; }

    protected int VethB { get; }
}
