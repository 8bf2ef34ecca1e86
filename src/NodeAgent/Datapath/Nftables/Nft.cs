using System.Runtime.InteropServices;
using System.Text;
using WgIsolate.Datapath.Interop.Nftables;
using WgIsolate.Datapath.Namespaces;

namespace WgIsolate.Datapath.Nftables;

/// <summary>
/// Runs nft commands through libnftables inside a network namespace. A context binds to the namespace of the
/// thread that creates it, and `iif`/`oif` lookups open sockets on the calling thread, so create, run and free
/// all happen on one thread switched into the namespace. The library keeps process-wide state, hence the lock.
/// </summary>
public static class Nft
{
    private static readonly Lock Gate = new();

    public static string Run(NetnsHandle netns, string commands)
    {
        NftablesPrerequisites.Require();
        lock (Gate)
        {
            return NetnsThread.Run(netns, () => RunHere(commands));
        }
    }

    private static string RunHere(string commands)
    {
        var context = Libnftables.NftCtxNew(0);
        if (context == 0)
        {
            throw new NftablesException("nft_ctx_new failed");
        }

        try
        {
            Libnftables.NftCtxBufferOutput(context);
            Libnftables.NftCtxBufferError(context);
            var result = Libnftables.NftRunCmdFromBuffer(context, Encoding.UTF8.GetBytes(commands + "\0"));
            // The buffers belong to the library and are rewound on the next call: copy them out at once.
            var output = Marshal.PtrToStringUTF8(Libnftables.NftCtxGetOutputBuffer(context)) ?? "";
            var error = Marshal.PtrToStringUTF8(Libnftables.NftCtxGetErrorBuffer(context)) ?? "";
            return result == 0 ? output : throw new NftablesException(error.Trim().Length > 0 ? error.Trim() : $"nft failed with {result}");
        }
        finally
        {
            Libnftables.NftCtxFree(context);
        }
    }
}
