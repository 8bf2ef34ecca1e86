using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.Datapath.PrivilegedTests;

public class LinkTests : KernelTest
{
    private readonly string nameA;
    private readonly string nameB;
    private readonly NetnsHandle netnsA;
    private readonly NetnsHandle netnsB;
    private readonly RouteNetlink a;
    private readonly RouteNetlink b;

    public LinkTests()
    {
        nameA = CreateNamespace("a");
        nameB = CreateNamespace("b");
        netnsA = Track(NamedNetworkNamespaces.Open(nameA));
        netnsB = Track(NamedNetworkNamespaces.Open(nameB));
        a = Track(RouteNetlink.OpenIn(netnsA));
        b = Track(RouteNetlink.OpenIn(netnsB));
    }

    [PrivilegedFact]
    public void CreateVethPair_PeerIsCreatedDirectlyInTheOtherNamespace()
    {
        var local = a.Links.CreateVethPair("va0", "vb0", netnsB);

        Assert.Equal("veth", local.Kind);
        Assert.Null(a.Links.Find("vb0"));
        var peer = b.Links.Get("vb0");
        Assert.Equal("veth", peer.Kind);
        Assert.Contains(Ip.Json(nameB, "link show").EnumerateArray(), link => link.GetProperty("ifname").GetString() == "vb0");
    }

    [PrivilegedFact]
    public void List_AgreesWithIpLinkShow()
    {
        a.Links.CreateVethPair("va0", "vb0", netnsB);
        a.Links.EnsureUp("va0");

        var ours = a.Links.List().Select(l => $"{l.Index} {l.Name} {l.Mtu} {(l.IsUp ? "UP" : "down")}").Order();
        var theirs = Ip.Json(nameA, "link show").EnumerateArray()
            .Select(l => $"{l.GetProperty("ifindex").GetInt32()} {l.GetProperty("ifname").GetString()} {l.GetProperty("mtu").GetInt32()} " +
                (l.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "UP") ? "UP" : "down"))
            .Order();
        Assert.Equal(theirs, ours);
    }

    [PrivilegedFact]
    public void InterfaceSysctl_IsWrittenWhereTheInterfaceLives()
    {
        a.Links.CreateVethPair("va0", "vb0", netnsB);
        var path = Sysctl.InterfacePathOf("ipv6", "va0", "accept_dad");

        Sysctl.Write(netnsA, path, "0");

        Assert.Equal("0", Sysctl.Read(netnsA, path));
        Assert.False(File.Exists(path));
        Assert.Throws<ErrnoException>(() => Sysctl.Read(netnsB, path));
    }

    [PrivilegedFact]
    public void MoveToNetns_LinkLeavesSourceAndAppearsInTarget()
    {
        a.Links.CreateVethPair("va0", "va1", peerNetns: null);

        a.Links.MoveToNetns("va1", netnsB);

        Assert.Null(a.Links.Find("va1"));
        Assert.Equal("veth", b.Links.Get("va1").Kind);
    }

    [PrivilegedFact]
    public void EnsureUpAndDown_ChangeOnlyWhenNeeded()
    {
        a.Links.CreateVethPair("va0", "vb0", netnsB);

        Assert.True(a.Links.EnsureUp("va0"));
        Assert.False(a.Links.EnsureUp("va0"));
        Assert.True(a.Links.Get("va0").IsUp);
        Assert.Contains("UP", Ip.Json(nameA, "link show va0")[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        Assert.True(a.Links.EnsureDown("va0"));
        Assert.False(a.Links.Get("va0").IsUp);
    }

    [PrivilegedFact]
    public void EnsureUp_Loopback_KeepsItsOtherFlags()
    {
        Assert.True(a.Links.EnsureUp("lo"));

        var lo = a.Links.Get("lo");
        Assert.True(lo.IsUp);
        Assert.True((lo.Flags & InterfaceFlags.Loopback) != 0);
    }

    [PrivilegedFact]
    public void EnsureAlias_MarksOwnerVisiblyInDumpsAndToIp()
    {
        a.Links.CreateVethPair("va0", "vb0", netnsB);

        Assert.True(a.Links.EnsureAlias("va0", LinkAliases.For("demo/app")));
        Assert.False(a.Links.EnsureAlias("va0", LinkAliases.For("demo/app")));

        Assert.Equal("wgisolate:demo/app", a.Links.Get("va0").Alias);
        Assert.Equal("wgisolate:demo/app", Ip.Json(nameA, "link show va0")[0].GetProperty("ifalias").GetString());
        var managed = Assert.Single(a.Links.List(), link => LinkAliases.IsManaged(link.Alias));
        Assert.Equal("demo/app", LinkAliases.OwnerOf(managed.Alias));
    }

    [PrivilegedFact]
    public void EnsureAlias_Empty_RemovesTheAlias()
    {
        a.Links.CreateVethPair("va0", "vb0", netnsB);
        a.Links.EnsureAlias("va0", LinkAliases.For("demo/app"));

        Assert.True(a.Links.EnsureAlias("va0", ""));

        Assert.Null(a.Links.Get("va0").Alias);
    }

    [PrivilegedFact]
    public void DeleteIfExists_RemovesBothVethEndsAndThenReportsNothingToDo()
    {
        a.Links.CreateVethPair("va0", "vb0", netnsB);

        Assert.True(a.Links.DeleteIfExists("va0"));

        Assert.False(a.Links.DeleteIfExists("va0"));
        Assert.Equal(["lo"], a.Links.List().Select(l => l.Name));
        Assert.Equal(["lo"], b.Links.List().Select(l => l.Name));
    }

    [PrivilegedFact]
    public void CreateVethPair_NameTaken_FailsWithEexistNamingTheLink()
    {
        a.Links.CreateVethPair("va0", "vb0", netnsB);

        var error = Assert.Throws<NetlinkException>(() => a.Links.CreateVethPair("va0", "vb1", netnsB));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.StartsWith("RTM_NEWLINK va0 (kind veth", error.Message);
    }

    [PrivilegedFact]
    public void Get_UnknownName_FailsWithEnodev()
    {
        var error = Assert.Throws<NetlinkException>(() => a.Links.Get("nosuch0"));

        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Null(a.Links.Find("nosuch0"));
    }

    [PrivilegedFact]
    public void CreateWireGuard_WithoutKernelModule_SaysSoClearly()
    {
        // This machine has no WireGuard module (BRIEF.md); a kernel that has one would make this test fail loudly.
        var error = Assert.Throws<KernelWireGuardUnavailableException>(() => a.Links.CreateWireGuard("wgt0"));

        Assert.Equal(Errno.EOPNOTSUPP, error.Errno);
        Assert.Equal("Unknown device type", error.KernelMessage);
        Assert.Contains("the kernel has no WireGuard support", error.Message);
        Assert.Null(a.Links.Find("wgt0"));
    }
}
