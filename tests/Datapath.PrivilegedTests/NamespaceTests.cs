using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.Datapath.PrivilegedTests;

public class NamespaceTests : KernelTest
{
    [PrivilegedFact]
    public void Create_IsListedHereAndByIpNetns_AndDeleteRemovesIt()
    {
        var name = CreateNamespace("n");

        Assert.True(NamedNetworkNamespaces.Exists(name));
        Assert.Contains(name, NamedNetworkNamespaces.List());
        Assert.Contains(name, Ip.Run("ip", "netns list"));

        Assert.True(NamedNetworkNamespaces.Delete(name));

        Assert.False(NamedNetworkNamespaces.Exists(name));
        Assert.DoesNotContain(name, Ip.Run("ip", "netns list"));
    }

    [PrivilegedFact]
    public void NamespaceMadeByIpNetnsAdd_IsListedOpenableAndDeletable()
    {
        var name = UniqueName("ip");
        Ip.Run("ip", $"netns add {name}");
        try
        {
            Assert.Contains(name, NamedNetworkNamespaces.List());
            using (var netns = NamedNetworkNamespaces.Open(name))
            using (var rt = RouteNetlink.OpenIn(netns))
            {
                Assert.Equal("lo", Assert.Single(rt.Links.List()).Name);
            }

            Assert.True(NamedNetworkNamespaces.Delete(name));
            Assert.DoesNotContain(name, Ip.Run("ip", "netns list"));
        }
        finally
        {
            Ip.TryRun("ip", $"netns del {name}");
        }
    }

    [PrivilegedFact]
    public void Create_IsAFreshNamespaceWithOnlyLoopbackDown()
    {
        var name = CreateNamespace("n");
        using var netns = NamedNetworkNamespaces.Open(name);
        using var rt = RouteNetlink.OpenIn(netns);

        var link = Assert.Single(rt.Links.List());

        Assert.Equal("lo", link.Name);
        Assert.False(link.IsUp);
        Assert.NotEqual(new FileInfo("/proc/self/ns/net").LinkTarget, NetnsThread.Run(netns, () => new FileInfo(NetnsThread.CurrentThreadNamespacePath).LinkTarget));
    }

    [PrivilegedFact]
    public void Create_ExistingName_FailsWithEexist()
    {
        var name = CreateNamespace("n");

        var error = Assert.Throws<ErrnoException>(() => NamedNetworkNamespaces.Create(name));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Contains("File exists (EEXIST)", error.Message);
    }

    [PrivilegedFact]
    public void HalfMadeEntry_IsNotListed_AndCreateReplacesItWithANamespace()
    {
        // What a crash between creating the file and bind-mounting the namespace on it leaves behind.
        var name = UniqueName("half");
        var path = NamedNetworkNamespaces.PathOf(name);
        File.WriteAllBytes(path, []);
        try
        {
            Assert.DoesNotContain(name, NamedNetworkNamespaces.List());

            NamedNetworkNamespaces.Create(name);

            Assert.Contains(name, NamedNetworkNamespaces.List());
            using var netns = NamedNetworkNamespaces.Open(name);
            using var rt = RouteNetlink.OpenIn(netns);
            Assert.Equal("lo", Assert.Single(rt.Links.List()).Name);
        }
        finally
        {
            NamedNetworkNamespaces.Delete(name);
        }

        Assert.False(File.Exists(path));
    }

    [PrivilegedFact]
    public void Delete_MissingName_ReturnsFalse() => Assert.False(NamedNetworkNamespaces.Delete(UniqueName("gone")));

    [PrivilegedFact]
    public void Open_MissingName_FailsWithEnoentNamingThePath()
    {
        var error = Assert.Throws<ErrnoException>(() => NamedNetworkNamespaces.Open(UniqueName("gone")));

        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains("/run/netns/wgitgone", error.Message);
    }

    [PrivilegedFact]
    public void Sysctl_WrittenInNamespace_ChangesOnlyThatNamespace()
    {
        const string Key = "net.ipv4.ip_unprivileged_port_start";
        var hostBefore = File.ReadAllText(Sysctl.PathOf(Key)).Trim();
        using var netns = NamedNetworkNamespaces.Open(CreateNamespace("s"));

        Sysctl.Write(netns, Sysctl.PathOf(Key), "0");
        Sysctl.Write(netns, Sysctl.PathOf("net.ipv6.conf.all.forwarding"), "1");

        Assert.Equal("0", Sysctl.Read(netns, Sysctl.PathOf(Key)));
        Assert.Equal("1", Sysctl.Read(netns, Sysctl.PathOf("net.ipv6.conf.all.forwarding")));
        Assert.Equal(hostBefore, File.ReadAllText(Sysctl.PathOf(Key)).Trim());
        Assert.NotEqual("0", hostBefore);
    }

    [PrivilegedFact]
    public void NetnsThread_ActionThrows_ExceptionReachesCallerAndThreadIsGone()
    {
        using var netns = NamedNetworkNamespaces.Open(CreateNamespace("t"));

        var error = Assert.Throws<InvalidOperationException>(() => NetnsThread.Run(netns, () => throw new InvalidOperationException("inside")));

        Assert.Equal("inside", error.Message);
    }
}
