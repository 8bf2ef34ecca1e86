using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.PrivilegedTests.Support;

namespace WgIsolate.Datapath.PrivilegedTests;

public class AddressTests : VethBetweenNamespaces
{
    [PrivilegedFact]
    public void AddIPv6NoDad_IsImmediatelyUsableNotTentative()
    {
        A.Addresses.Add(VethA, InterfaceAddress.Parse("fd01::1/64"));

        var address = Assert.Single(A.Addresses.List(AddressFamilies.Inet6, VethA), a => a.Address.ToString() == "fd01::1/64");
        Assert.False(address.IsTentative);
        var json = Ip.Json(NameA, "-6 addr show dev va0")[0].GetProperty("addr_info").EnumerateArray()
            .Single(a => a.GetProperty("local").GetString() == "fd01::1");
        Assert.Equal(64, json.GetProperty("prefixlen").GetInt32());
        Assert.False(json.TryGetProperty("tentative", out _));
    }

    [PrivilegedFact]
    public void AddIPv4_IsListedAsByIpAddr()
    {
        A.Addresses.Add(VethA, InterfaceAddress.Parse("10.50.0.1/24"));

        var ours = A.Addresses.List(AddressFamilies.Inet, VethA).Select(a => a.Address.ToString());
        var theirs = Ip.Json(NameA, "-4 addr show dev va0")[0].GetProperty("addr_info").EnumerateArray()
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}");
        Assert.Equal(["10.50.0.1/24"], ours);
        Assert.Equal(theirs, ours);
    }

    [PrivilegedFact]
    public void Add_Twice_FailsWithEexistAndKernelMessage()
    {
        A.Addresses.Add(VethA, InterfaceAddress.Parse("fd01::1/64"));

        var error = Assert.Throws<NetlinkException>(() => A.Addresses.Add(VethA, InterfaceAddress.Parse("fd01::1/64")));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal("ipv6: address already assigned", error.KernelMessage);
    }

    [PrivilegedFact]
    public void Ensure_SecondTime_ChangesNothing()
    {
        Assert.True(A.Addresses.Ensure(VethA, InterfaceAddress.Parse("fd01::1/64")));
        Assert.False(A.Addresses.Ensure(VethA, InterfaceAddress.Parse("fd01::1/64")));
        Assert.True(A.Addresses.Ensure(VethA, InterfaceAddress.Parse("10.50.0.1/24")));
        Assert.False(A.Addresses.Ensure(VethA, InterfaceAddress.Parse("10.50.0.1/24")));
    }

    [PrivilegedFact]
    public void DeleteIfExists_RemovesAddressThenReportsNothingToDo()
    {
        A.Addresses.Add(VethA, InterfaceAddress.Parse("10.50.0.1/24"));
        A.Addresses.Add(VethA, InterfaceAddress.Parse("fd01::1/64"));

        Assert.True(A.Addresses.DeleteIfExists(VethA, InterfaceAddress.Parse("10.50.0.1/24")));
        Assert.True(A.Addresses.DeleteIfExists(VethA, InterfaceAddress.Parse("fd01::1/64")));

        Assert.False(A.Addresses.DeleteIfExists(VethA, InterfaceAddress.Parse("10.50.0.1/24")));
        Assert.False(A.Addresses.DeleteIfExists(VethA, InterfaceAddress.Parse("fd01::1/64")));
        Assert.DoesNotContain(A.Addresses.List(0, VethA), a => a.Address.ToString() is "10.50.0.1/24" or "fd01::1/64");
    }

    [PrivilegedFact]
    public void List_FilteredByIndex_ShowsOnlyThatLink()
    {
        A.Addresses.Add(VethA, InterfaceAddress.Parse("10.50.0.1/24"));
        A.Addresses.Add(1, InterfaceAddress.Parse("10.99.0.1/32"));

        Assert.All(A.Addresses.List(0, VethA), a => Assert.Equal(VethA, a.Index));
        Assert.Contains(A.Addresses.List(0, 0), a => a.Index == 1 && a.Address.ToString() == "10.99.0.1/32");
    }
}
