namespace WgIsolate.Datapath.Tests.Support;

/// <summary>Kernel replies from netlink-reference.md §1.4 (captured with strace), seq 0x11111111, port 0x2222.</summary>
public static class CapturedReplies
{
    /// <summary>§2.3: RTM_NEWLINK "wgx" kind wireguard, 60 bytes, as sent by iproute2.</summary>
    public const string CreateWireGuardRequest = """
        3c 00 00 00 10 00 05 06 11 11 11 11 00 00 00 00
        00*16
        08 00 03 00 77 67 78 00
        14 00 12 00
        0d 00 01 00 77 69 72 65 67 75 61 72 64 00 00 00
        """;

    /// <summary>Success: error 0 and the request's header echoed, CAPPED (36 bytes).</summary>
    public const string Ack = """
        24 00 00 00 02 00 00 01 11 11 11 11 22 22 00 00
        00 00 00 00
        3c 00 00 00 10 00 05 06 11 11 11 11 00 00 00 00
        """;

    /// <summary>kind "wireguard" without the module: -95, the whole request echoed, MSG "Unknown device type" (104 bytes).</summary>
    public const string UnknownDeviceType = """
        68 00 00 00 02 00 00 02 11 11 11 11 22 22 00 00
        a1 ff ff ff
        """ + "\n" + CreateWireGuardRequest + "\n" + """
        18 00 01 00 55 6e 6b 6e 6f 77 6e 20 64 65 76 69 63 65 20 74 79 70 65 00
        """;

    /// <summary>
    /// A 16-character IFLA_IFNAME: -34, MSG "Attribute failed policy validation", OFFS 32 and a POLICY nest. Assembled
    /// from the captured fields of §1.4 around a 56-byte request (header, ifinfomsg, "0123456789abcdef\0").
    /// </summary>
    public const string NameTooLong = """
        90 00 00 00 02 00 00 02 11 11 11 11 22 22 00 00
        de ff ff ff
        38 00 00 00 10 00 05 06 11 11 11 11 00 00 00 00
        00*16
        15 00 03 00 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66 00 00 00 00
        27 00 01 00 41 74 74 72 69 62 75 74 65 20 66 61 69 6c 65 64 20 70 6f 6c 69 63 79 20 76 61 6c 69 64 61 74 69 6f 6e 00 00
        08 00 02 00 20 00 00 00
        14 00 04 80 08 00 01 00 0c 00 00 00 08 00 0a 00 10 00 00 00
        """;

    /// <summary>A dump ending in error: NLMSG_DONE carrying -19 (how WireGuard's GET_DEVICE reports a missing device).</summary>
    public const string DoneWithNoSuchDevice = "14 00 00 00 03 00 02 00 11 11 11 11 22 22 00 00 ed ff ff ff";
}
