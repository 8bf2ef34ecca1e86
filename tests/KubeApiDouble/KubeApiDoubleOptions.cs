namespace WgIsolate.KubeApiDouble;

public sealed record KubeApiDoubleOptions
{
    /// <summary>Folders of CRD manifests (*.yaml) to serve, e.g. the repository's crds/.</summary>
    public IReadOnlyList<string> CrdFolders { get; init; } = [];

    /// <summary>How many changes the watch history keeps; older resourceVersions get 410 Gone.</summary>
    public int HistoryLimit { get; init; } = 10_000;

    /// <summary>How often a watch that allows bookmarks gets one (the real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
