using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop.Nftables;

internal static partial class Libnftables
{
    [LibraryImport(Library, EntryPoint = "nft_ctx_buffer_output")]
    internal static partial int NftCtxBufferOutput(nint ctx);
}
