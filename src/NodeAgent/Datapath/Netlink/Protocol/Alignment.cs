namespace WgIsolate.Datapath.Netlink.Protocol;

public static class Alignment
{
    /// <summary>NLMSG_ALIGN / NLA_ALIGN: messages and attributes start on 4-byte boundaries.</summary>
    public static int Align4(int length) => (length + 3) & ~3;
}
