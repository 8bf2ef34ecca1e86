namespace WgIsolate.Datapath.Netlink.Protocol;

/// <summary>Bytes that do not form valid netlink (truncated header, attribute running past its parent, ...).</summary>
public sealed class NetlinkProtocolException(string message) : Exception(message);
