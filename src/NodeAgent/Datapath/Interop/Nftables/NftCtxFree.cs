using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop.Nftables;

internal static partial class Libnftables
{
    [LibraryImport(Library, EntryPoint = "nft_ctx_free")]
    internal static partial void NftCtxFree(nint ctx);
}
