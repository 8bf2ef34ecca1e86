using System.Runtime.ExceptionServices;
using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Namespaces;

/// <summary>
/// Runs a synchronous action on a fresh OS thread switched into a network namespace. setns only affects the calling
/// thread, so this never runs on a pool thread and never across an await. The action must stay synchronous and call
/// only raw system calls or file I/O: threads the runtime starts from inside (timers, pool workers, socket engines)
/// would stay in the namespace for good. If switching back fails the process dies rather than leak a thread in the
/// wrong namespace.
/// </summary>
public static class NetnsThread
{
    public const string CurrentThreadNamespacePath = "/proc/thread-self/ns/net";

    public static T Run<T>(NetnsHandle netns, Func<T> action) => OnNewThread("netns worker", () => RunSwitched(netns, action));

    public static void Run(NetnsHandle netns, Action action) => Run(netns, () =>
    {
        action();
        return true;
    });

    /// <summary>Runs on a fresh thread inside a brand-new, anonymous namespace (used to create named ones).</summary>
    internal static T RunInNewNamespace<T>(Func<T> action) => OnNewThread("netns creator", () =>
    {
        using var original = OpenCurrentThreadNamespace();
        NamespaceCalls.UnshareNetworkNamespace();
        try
        {
            return action();
        }
        finally
        {
            Restore(original);
        }
    });

    /// <summary>/proc/self is the thread-group leader; only thread-self names this thread's namespace.</summary>
    internal static NetnsHandle OpenCurrentThreadNamespace() =>
        new(FileCalls.Open(CurrentThreadNamespacePath, Tmds.Linux.LibC.O_RDONLY), CurrentThreadNamespacePath);

    private static T RunSwitched<T>(NetnsHandle netns, Func<T> action)
    {
        using var original = OpenCurrentThreadNamespace();
        var added = false;
        netns.DangerousAddRef(ref added);
        try
        {
            NamespaceCalls.SetNetworkNamespace(netns, netns.Path);
            try
            {
                return action();
            }
            finally
            {
                Restore(original);
            }
        }
        finally
        {
            if (added)
            {
                netns.DangerousRelease();
            }
        }
    }

    /// <summary>A dedicated OS thread, joined synchronously; its exception is rethrown here with its stack.</summary>
    private static T OnNewThread<T>(string name, Func<T> body)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = body();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private static void Restore(NetnsHandle original)
    {
        if (NamespaceCalls.TrySetNetworkNamespace(original) != 0)
        {
            Environment.FailFast($"setns back to the original network namespace failed on thread {LibcThread.GetTid()}: " +
                Errno.Describe(Tmds.Linux.LibC.errno));
        }
    }
}
