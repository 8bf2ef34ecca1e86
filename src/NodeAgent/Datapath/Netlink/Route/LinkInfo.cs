using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>What we read back about a link (an RTM_NEWLINK reply or dump entry).</summary>
public sealed record LinkInfo(int Index, string Name, string? Kind, InterfaceFlags Flags, uint Mtu, string? Alias)
{
    public bool IsUp => (Flags & InterfaceFlags.Up) != 0;

    public static LinkInfo Parse(NetlinkMessage message)
    {
        if (message.Header.Type != RouteMessageType.NewLink)
        {
            throw new NetlinkProtocolException($"expected RTM_NEWLINK, got message type {message.Header.Type}");
        }

        var header = message.FamilyHeader<InterfaceInfoHeader>();
        string name = "";
        string? kind = null;
        string? alias = null;
        uint mtu = 0;
        foreach (var attribute in message.Attributes(InterfaceInfoHeader.Size))
        {
            switch (attribute.Type)
            {
                case LinkAttribute.IfName:
                    name = attribute.String();
                    break;
                case LinkAttribute.Mtu:
                    mtu = attribute.U32();
                    break;
                case LinkAttribute.IfAlias:
                    alias = attribute.String();
                    break;
                case LinkAttribute.LinkInfo:
                    foreach (var info in attribute.Nested())
                    {
                        if (info.Type == LinkAttribute.InfoKind)
                        {
                            kind = info.String();
                        }
                    }

                    break;
            }
        }

        return new LinkInfo(header.Index, name, kind, header.Flags, mtu, string.IsNullOrEmpty(alias) ? null : alias);
    }
}
