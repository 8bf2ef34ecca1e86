using System.Net;
using WgIsolate.Datapath.Netlink.Protocol;

namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>A route read back from RTM_NEWROUTE.</summary>
public sealed record RouteInfo(
    IPNetwork Destination,
    IPAddress? Gateway,
    int OutputInterface,
    uint Table,
    byte Protocol,
    RouteScope Scope,
    byte Type,
    uint? Metric)
{
    public static RouteInfo Parse(NetlinkMessage message)
    {
        if (message.Header.Type != RouteMessageType.NewRoute)
        {
            throw new NetlinkProtocolException($"expected RTM_NEWROUTE, got message type {message.Header.Type}");
        }

        var header = message.FamilyHeader<RouteHeader>();
        IPAddress? destination = null;
        IPAddress? gateway = null;
        var outputInterface = 0;
        uint table = header.Table;
        uint? metric = null;
        foreach (var attribute in message.Attributes(RouteHeader.Size))
        {
            switch (attribute.Type)
            {
                case RouteAttribute.Destination:
                    destination = new IPAddress(attribute.Payload);
                    break;
                case RouteAttribute.Gateway:
                    gateway = new IPAddress(attribute.Payload);
                    break;
                case RouteAttribute.OutputInterface:
                    outputInterface = (int)attribute.U32();
                    break;
                case RouteAttribute.Priority:
                    metric = attribute.U32();
                    break;
                case RouteAttribute.Table:
                    table = attribute.U32();
                    break;
            }
        }

        destination ??= header.Family == AddressFamilies.Inet6 ? IPAddress.IPv6Any : IPAddress.Any;
        return new RouteInfo(
            new IPNetwork(destination, header.DestinationLength),
            gateway,
            outputInterface,
            table,
            header.Protocol,
            (RouteScope)header.Scope,
            header.Type,
            metric);
    }

    /// <summary>Whether this existing route already is <paramref name="spec"/> (metric only compared when asked for).</summary>
    public bool Matches(RouteSpec spec) =>
        Destination.Equals(spec.Destination)
        && OutputInterface == spec.OutputInterface
        && Equals(Gateway, spec.Gateway)
        && Table == spec.Table
        && Protocol == spec.Protocol
        && (spec.Metric is null || Metric == spec.Metric)
        && (spec.IsIPv6 || Scope == spec.Scope);
}
