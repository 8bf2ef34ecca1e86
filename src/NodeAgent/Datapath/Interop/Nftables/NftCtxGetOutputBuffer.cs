using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop.Nftables;

internal static partial class Libnftables
{
    [LibraryImport(Library, EntryPoint = "nft_ctx_get_output_buffer")]
    internal static partial nint NftCtxGetOutputBuffer(nint ctx);
}
