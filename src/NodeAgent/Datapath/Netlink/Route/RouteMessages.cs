using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>RTM_*ROUTE requests (netlink-reference §2.8).</summary>
public static class RouteMessages
{
    /// <summary><paramref name="replace"/> gives create-or-replace (0x0505), else create-exclusive (0x0605).</summary>
    public static byte[] Add(RouteSpec route, bool replace)
    {
        route.Validate();
        var writer = Begin(
            RouteMessageType.NewRoute,
            replace ? MessageFlags.CreateOrReplace : MessageFlags.CreateExclusive,
            route,
            route.Protocol,
            route.Scope,
            RouteType.Unicast);
        return Attributes(writer, route).ToArray();
    }

    /// <summary>
    /// Scope NOWHERE and type 0 are the kernel's wildcards for a delete; the protocol stays set so only a route of
    /// ours matches.
    /// </summary>
    public static byte[] Delete(RouteSpec route)
    {
        route.Validate();
        var writer = Begin(RouteMessageType.DelRoute, MessageFlags.Modify, route, route.Protocol, RouteScope.Nowhere, RouteType.Unspecified);
        return Attributes(writer, route).ToArray();
    }

    /// <summary>With NETLINK_GET_STRICT_CHK the kernel filters by rtm_table/rtm_protocol (0 = any).</summary>
    public static byte[] Dump(byte family, uint table, byte protocol)
    {
        var writer = new MessageWriter(RouteMessageType.GetRoute, MessageFlags.DumpRequest)
            .WriteStruct(new RouteHeader(family, 0, 0, 0, table > 255 ? (byte)0 : (byte)table, protocol, 0, 0, 0));
        if (table > 255)
        {
            writer.U32(RouteAttribute.Table, table);
        }

        return writer.ToArray();
    }

    private static MessageWriter Begin(ushort type, MessageFlags flags, RouteSpec route, byte protocol, RouteScope scope, byte routeType) =>
        new MessageWriter(type, flags).WriteStruct(new RouteHeader(
            AddressFamilies.Of(route.Destination.BaseAddress),
            (byte)route.Destination.PrefixLength,
            0,
            0,
            // Table ids above 255 do not fit rtm_table: 0 there and the real id in RTA_TABLE.
            route.Table > 255 ? (byte)0 : (byte)route.Table,
            protocol,
            (byte)scope,
            routeType,
            0));

    /// <summary>In iproute2's order: DST (omitted for /0), GATEWAY, OIF, PRIORITY, TABLE.</summary>
    private static MessageWriter Attributes(MessageWriter writer, RouteSpec route)
    {
        if (route.Destination.PrefixLength > 0)
        {
            writer.Attribute(RouteAttribute.Destination, AddressFamilies.Bytes(route.Destination.BaseAddress));
        }

        if (route.Gateway is not null)
        {
            writer.Attribute(RouteAttribute.Gateway, AddressFamilies.Bytes(route.Gateway));
        }

        writer.U32(RouteAttribute.OutputInterface, (uint)route.OutputInterface);
        if (route.Metric is { } metric)
        {
            writer.U32(RouteAttribute.Priority, metric);
        }

        if (route.Table > 255)
        {
            writer.U32(RouteAttribute.Table, route.Table);
        }

        return writer;
    }
}
