using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Namespaces;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>Links of the namespace the socket lives in. "Ensure" methods return whether they changed anything.</summary>
public sealed class LinkClient(NetlinkSocket socket)
{
    public LinkInfo? Find(string name)
    {
        try
        {
            return Get(name);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return null;
        }
    }

    public LinkInfo Get(string name) =>
        LinkInfo.Parse(Single(socket.Request(LinkMessages.GetByName(name), $"RTM_GETLINK {name}"), $"RTM_GETLINK {name}"));

    public LinkInfo Get(int index) =>
        LinkInfo.Parse(Single(socket.Request(LinkMessages.GetByIndex(index), $"RTM_GETLINK #{index}"), $"RTM_GETLINK #{index}"));

    public IReadOnlyList<LinkInfo> List() =>
        socket.Dump(LinkMessages.Dump(), "RTM_GETLINK dump").Select(LinkInfo.Parse).ToList();

    /// <summary>Throws <see cref="KernelWireGuardUnavailableException"/> when the kernel has no WireGuard.</summary>
    public LinkInfo CreateWireGuard(string name)
    {
        var operation = $"RTM_NEWLINK {name} (kind wireguard)";
        try
        {
            socket.Request(LinkMessages.CreateWireGuard(name), operation);
        }
        catch (NetlinkException e) when (e.Errno == Errno.EOPNOTSUPP)
        {
            throw new KernelWireGuardUnavailableException(operation, e.ExtendedAck);
        }

        return Get(name);
    }

    /// <summary>Creates NAME here and its peer PEER in <paramref name="peerNetns"/> (here when null); returns NAME.</summary>
    public LinkInfo CreateVethPair(string name, string peerName, NetnsHandle? peerNetns)
    {
        var target = peerNetns is null ? "" : $" in {peerNetns.Path}";
        var operation = $"RTM_NEWLINK {name} (kind veth, peer {peerName}{target})";
        if (peerNetns is null)
        {
            socket.Request(LinkMessages.CreateVethPair(name, peerName, null), operation);
        }
        else
        {
            WithFd(peerNetns, fd => socket.Request(LinkMessages.CreateVethPair(name, peerName, fd), operation));
        }

        return Get(name);
    }

    /// <summary>
    /// Moves the link to another namespace. The move takes it down and flushes its addresses and routes; resolve it
    /// by name there (its index may change) and configure it afterwards.
    /// </summary>
    public void MoveToNetns(string name, NetnsHandle target)
    {
        var link = Get(name);
        WithFd(target, fd => socket.Request(LinkMessages.MoveToNetns(link.Index, fd), $"RTM_NEWLINK {name} move to {target.Path}"));
    }

    public bool EnsureUp(string name) => EnsureState(name, up: true);

    public bool EnsureDown(string name) => EnsureState(name, up: false);

    public bool EnsureAlias(string name, string alias)
    {
        var link = Get(name);
        if ((link.Alias ?? "") == alias)
        {
            return false;
        }

        socket.Request(LinkMessages.SetAlias(link.Index, alias), $"RTM_NEWLINK {name} alias {alias}");
        return true;
    }

    public bool EnsureMtu(string name, uint mtu)
    {
        var link = Get(name);
        if (link.Mtu == mtu)
        {
            return false;
        }

        socket.Request(LinkMessages.SetMtu(link.Index, mtu), $"RTM_NEWLINK {name} mtu {mtu}");
        return true;
    }

    /// <summary>Deletes the link (a veth takes its peer along); false when there was none.</summary>
    public bool DeleteIfExists(string name)
    {
        try
        {
            socket.Request(LinkMessages.DeleteByName(name), $"RTM_DELLINK {name}");
            return true;
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return false;
        }
    }

    private static Protocol.NetlinkMessage Single(IReadOnlyList<Protocol.NetlinkMessage> replies, string operation) =>
        replies.Count == 1 ? replies[0] : throw new Protocol.NetlinkProtocolException($"{operation}: expected one reply, got {replies.Count}");

    /// <summary>Keeps the namespace fd open (not recycled) until the kernel has acknowledged the request using it.</summary>
    private static void WithFd(NetnsHandle netns, Action<int> request)
    {
        var added = false;
        netns.DangerousAddRef(ref added);
        try
        {
            request(netns.Fd);
        }
        finally
        {
            if (added)
            {
                netns.DangerousRelease();
            }
        }
    }

    private bool EnsureState(string name, bool up)
    {
        var link = Get(name);
        if (link.IsUp == up)
        {
            return false;
        }

        socket.Request(LinkMessages.SetUp(link.Index, up), $"RTM_NEWLINK {name} {(up ? "up" : "down")}");
        return true;
    }
}
