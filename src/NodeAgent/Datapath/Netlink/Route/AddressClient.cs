using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>Addresses of the namespace the socket lives in.</summary>
public sealed class AddressClient(NetlinkSocket socket)
{
    /// <summary>Family 0 = IPv4 and IPv6; index 0 = every link.</summary>
    public IReadOnlyList<AddressInfo> List(byte family = 0, int index = 0) =>
        socket.Dump(AddressMessages.Dump(family, index), $"RTM_GETADDR dump (family {family}, link #{index})")
            .Select(AddressInfo.Parse)
            .Where(address => index == 0 || address.Index == index)
            .ToList();

    /// <summary>Fails with EEXIST when the address is already there.</summary>
    public void Add(int index, InterfaceAddress address, bool noDad = true) =>
        socket.Request(AddressMessages.Add(index, address, noDad, replace: false), $"RTM_NEWADDR {address} dev #{index}");

    /// <summary>Adds the address unless the link already has it with this prefix length.</summary>
    public bool Ensure(int index, InterfaceAddress address, bool noDad = true)
    {
        var present = List(AddressFamilies.Of(address.Address), index)
            .Any(existing => existing.Address.Address.Equals(address.Address) && existing.Address.PrefixLength == address.PrefixLength);
        if (present)
        {
            return false;
        }

        socket.Request(AddressMessages.Add(index, address, noDad, replace: true), $"RTM_NEWADDR {address} dev #{index}");
        return true;
    }

    public bool DeleteIfExists(int index, InterfaceAddress address)
    {
        try
        {
            socket.Request(AddressMessages.Delete(index, address), $"RTM_DELADDR {address} dev #{index}");
            return true;
        }
        catch (NetlinkException e) when (e.Errno == Errno.EADDRNOTAVAIL)
        {
            return false;
        }
    }
}
