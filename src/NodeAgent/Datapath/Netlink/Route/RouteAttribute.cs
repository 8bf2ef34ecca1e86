namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>RTA_* attributes and the rtmsg field values used here.</summary>
public static class RouteAttribute
{
    public const ushort Destination = 1;
    public const ushort Source = 2;
    public const ushort InputInterface = 3;
    public const ushort OutputInterface = 4;
    public const ushort Gateway = 5;
    public const ushort Priority = 6;
    public const ushort PreferredSource = 7;
    public const ushort Table = 15;
}

public static class RouteTable
{
    public const uint Unspecified = 0;
    public const uint Main = 254;
    public const uint Local = 255;
}

public static class RouteProtocol
{
    public const byte Unspecified = 0;
    public const byte Kernel = 2;
    public const byte Boot = 3;
    public const byte Static = 4;

    /// <summary>WgIsolate's own routes carry this number so the agent can find (and only touch) them in dumps.</summary>
    public const byte WgIsolate = 87;
}

public enum RouteScope : byte
{
    Universe = 0,
    Link = 253,
    Host = 254,
    Nowhere = 255,
}

public static class RouteType
{
    public const byte Unspecified = 0;
    public const byte Unicast = 1;
    public const byte Local = 2;
}
