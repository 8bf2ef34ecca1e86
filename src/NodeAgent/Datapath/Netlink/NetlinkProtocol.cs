namespace WgIsolate.Datapath.Netlink;

public enum NetlinkProtocol
{
    Route = 0,
    Generic = 16,
}
