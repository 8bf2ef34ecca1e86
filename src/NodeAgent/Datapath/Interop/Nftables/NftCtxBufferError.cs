using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop.Nftables;

internal static partial class Libnftables
{
    [LibraryImport(Library, EntryPoint = "nft_ctx_buffer_error")]
    internal static partial int NftCtxBufferError(nint ctx);
}
