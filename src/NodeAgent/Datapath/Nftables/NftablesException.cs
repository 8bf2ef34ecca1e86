namespace WgIsolate.Datapath.Nftables;

/// <summary>nft refused a command; the message is nft's own, caret lines included.</summary>
public sealed class NftablesException(string message) : Exception(message);
