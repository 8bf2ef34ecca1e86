namespace WgIsolate.Datapath.PrivilegedTests.Support;

public static class ThreadHygiene
{
    /// <summary>Every /proc/self/task/*/ns/net must name the process's (host) netns (reference §2.10).</summary>
    public static void AssertEveryThreadInHostNamespace()
    {
        var host = new FileInfo("/proc/self/ns/net").LinkTarget;
        Assert.StartsWith("net:[", host);
        var threads = Directory.GetDirectories("/proc/self/task")
            .Select(task => (Task: Path.GetFileName(task), Netns: TryReadNetns(task)))
            .ToList();
        Assert.Contains(threads, entry => entry.Netns == host);
        var strays = threads
            .Where(entry => entry.Netns is not null && entry.Netns != host)
            .Select(entry => $"thread {entry.Task} in {entry.Netns}")
            .ToList();
        Assert.True(strays.Count == 0, $"threads left outside the host netns {host}: {string.Join(", ", strays)}");
    }

    /// <summary>Threads may exit while we look; that is not a stray.</summary>
    private static string? TryReadNetns(string task)
    {
        try
        {
            return new FileInfo(Path.Combine(task, "ns/net")).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
