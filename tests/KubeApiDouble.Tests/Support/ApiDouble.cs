using WgIsolate.KubeApiDouble;

namespace WgIsolate.KubeApiDouble.Tests.Support;

/// <summary>Starts the double with this project's test CRDs (widgets, gadgets) loaded.</summary>
internal static class ApiDouble
{
    public static string TestCrdFolder => Path.Combine(AppContext.BaseDirectory, "TestCrds");

    public static Task<KubeApiServerDouble> StartAsync(int historyLimit = 10_000, TimeSpan? bookmarkInterval = null) =>
        KubeApiServerDouble.StartAsync(new KubeApiDoubleOptions
        {
            CrdFolders = [TestCrdFolder],
            HistoryLimit = historyLimit,
            BookmarkInterval = bookmarkInterval ?? TimeSpan.FromSeconds(1),
        });
}
