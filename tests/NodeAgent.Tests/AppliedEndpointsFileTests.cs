using System.Net;
using WgIsolate.NodeAgent.HostMode.State;

namespace WgIsolate.NodeAgent.Tests;

public class AppliedEndpointsFileTests
{
    private static readonly Dictionary<string, IPEndPoint?> Endpoints = new()
    {
        ["peerKeyA="] = IPEndPoint.Parse("[::1]:51820"),
        ["peerKeyB="] = null,
    };

    [Fact]
    public void Saved_IsWhatTheNextRunRecalls_OwnerOnly()
    {
        using var dir = new TempDirectory();
        var first = new AppliedEndpointsFile(dir.Path);
        first.Record("wg-receiver", Endpoints);
        Assert.Null(new AppliedEndpointsFile(dir.Path).Of("wg-receiver"));

        first.Save();

        var recalled = new AppliedEndpointsFile(dir.Path).Of("wg-receiver");
        Assert.NotNull(recalled);
        Assert.Equal(Endpoints.OrderBy(e => e.Key), recalled.OrderBy(e => e.Key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, "applied-endpoints.json")));
    }

    [Fact]
    public void Forgotten_IsGoneAfterSave_AndAnUnchangedRecordWritesNothing()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "applied-endpoints.json");
        var file = new AppliedEndpointsFile(dir.Path);
        file.Record("wg-receiver", Endpoints);
        file.Record("wg-sender", Endpoints);
        file.Save();
        File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch);

        file.Record("wg-receiver", new Dictionary<string, IPEndPoint?>(Endpoints));
        file.Save();
        Assert.Equal(DateTime.UnixEpoch, File.GetLastWriteTimeUtc(path));

        file.Forget("wg-sender");
        file.Save();
        var reread = new AppliedEndpointsFile(dir.Path);
        Assert.Null(reread.Of("wg-sender"));
        Assert.NotNull(reread.Of("wg-receiver"));
    }

    [Fact]
    public void Unreadable_IsRefusedNamingTheFile()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "applied-endpoints.json");
        File.WriteAllText(path, "{\"wg-receiver\": {\"peerKeyA=\": \"not an endpoint\"}}");

        var error = Assert.Throws<InvalidDataException>(() => new AppliedEndpointsFile(dir.Path));

        Assert.Contains(path, error.Message);
    }
}
