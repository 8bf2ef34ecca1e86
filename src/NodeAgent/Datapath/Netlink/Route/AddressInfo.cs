using System.Net;
using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>An address read back from RTM_NEWADDR. Flags come from IFA_FLAGS when present (it supersedes the u8).</summary>
public sealed record AddressInfo(int Index, InterfaceAddress Address, uint Flags, byte Scope, string? Label)
{
    public bool IsTentative => (Flags & AddressAttribute.FlagTentative) != 0;

    public static AddressInfo Parse(NetlinkMessage message)
    {
        if (message.Header.Type != RouteMessageType.NewAddress)
        {
            throw new NetlinkProtocolException($"expected RTM_NEWADDR, got message type {message.Header.Type}");
        }

        var header = message.FamilyHeader<AddressHeader>();
        IPAddress? local = null;
        IPAddress? address = null;
        string? label = null;
        uint flags = header.Flags;
        foreach (var attribute in message.Attributes(AddressHeader.Size))
        {
            switch (attribute.Type)
            {
                case AddressAttribute.Local:
                    local = new IPAddress(attribute.Payload);
                    break;
                case AddressAttribute.Address:
                    address = new IPAddress(attribute.Payload);
                    break;
                case AddressAttribute.Label:
                    label = attribute.String();
                    break;
                case AddressAttribute.Flags:
                    flags = attribute.U32();
                    break;
            }
        }

        // IPv4 reports IFA_LOCAL as the interface's own address (IFA_ADDRESS is the peer on point-to-point links);
        // IPv6 usually sends only IFA_ADDRESS.
        var own = local ?? address ?? throw new NetlinkProtocolException($"RTM_NEWADDR for link {header.Index} has no address");
        return new AddressInfo(header.Index, new InterfaceAddress(own, header.PrefixLength), flags, header.Scope, label);
    }
}
