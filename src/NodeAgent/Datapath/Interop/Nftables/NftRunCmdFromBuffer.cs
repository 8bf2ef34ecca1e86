using System.Runtime.InteropServices;

namespace WgIsolate.Datapath.Interop.Nftables;

internal static partial class Libnftables
{
    [LibraryImport(Library, EntryPoint = "nft_run_cmd_from_buffer")]
    internal static partial int NftRunCmdFromBuffer(nint ctx, byte[] buffer);
}
