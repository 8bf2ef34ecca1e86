namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>IFA_* attributes and IFA_F_* flags.</summary>
public static class AddressAttribute
{
    public const ushort Address = 1;
    public const ushort Local = 2;
    public const ushort Label = 3;
    public const ushort Broadcast = 4;
    public const ushort CacheInfo = 6;
    public const ushort Flags = 8;

    public const uint FlagSecondary = 0x1;
    public const uint FlagNoDad = 0x2;
    public const uint FlagDadFailed = 0x8;
    public const uint FlagTentative = 0x40;
    public const uint FlagPermanent = 0x80;
    public const uint FlagNoPrefixRoute = 0x200;
}
