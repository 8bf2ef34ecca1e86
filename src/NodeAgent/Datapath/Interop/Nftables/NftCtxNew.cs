using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop.Nftables;

internal static partial class Libnftables
{
    [LibraryImport(Library, EntryPoint = "nft_ctx_new")]
    internal static partial nint NftCtxNew(uint flags);
}
