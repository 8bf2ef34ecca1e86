using System.Net;
using CsCheck;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.WireGuard;

namespace WgIsolate.WireGuard.Tests;

public sealed class SyncDiffTests
{
    private static readonly string[] Keys = [.. Enumerable.Range(1, 6).Select(i => Convert.ToBase64String(Enumerable.Repeat((byte)i, 32).ToArray()))];
    private static readonly IPNetwork[] Prefixes = [.. new[] { "fd00::1/128", "fd00::2/128", "fd00:1::/64", "10.9.0.0/24", "10.9.1.1/32" }.Select(IPNetwork.Parse)];
    private static readonly IPEndPoint[] Endpoints = [IPEndPoint.Parse("127.0.0.1:51820"), IPEndPoint.Parse("[::1]:51821")];
    private static readonly string Private = WireGuardKeys.GeneratePrivateKey();

    private static WireGuardPeer Live(int key, params string[] allowed) =>
        new(Keys[key], null, Endpoints[0], DateTimeOffset.UnixEpoch.AddDays(1), 10, 20, 25, [.. allowed.Select(IPNetwork.Parse)]);

    private static WireGuardPeerSpec Wanted(int key, params string[] allowed) =>
        new(Keys[key], Endpoints[0], [.. allowed.Select(IPNetwork.Parse)], null, 25);

    [Fact]
    public void Diff_EqualDevices_IsEmpty()
    {
        var current = new WireGuardDevice(Private, 51820, [Live(0, "fd00::2/128"), Live(1, "fd00::3/128", "10.9.0.0/24")]);
        var desired = new WireGuardDeviceSpec(Private, 51820, [Wanted(1, "10.9.0.0/24", "fd00::3/128"), Wanted(0, "fd00::2/128")]);

        Assert.True(WireGuardSync.Diff(current, desired, null).IsEmpty);
    }

    [Fact]
    public void Diff_OnePeersAllowedIPsChanged_ReplacesOnlyThatPeersAllowedIPs()
    {
        var current = new WireGuardDevice(Private, 51820, [Live(0, "fd00::2/128"), Live(1, "fd00::3/128")]);
        var desired = new WireGuardDeviceSpec(Private, 51820, [Wanted(0, "fd00::2/128"), Wanted(1, "fd00::3/128", "10.9.0.0/24")]);

        var diff = WireGuardSync.Diff(current, desired, null);

        var peer = Assert.Single(diff.Peers);
        Assert.Equal(Keys[1], peer.PublicKey);
        Assert.True(peer.UpdateOnly);
        Assert.True(peer.ReplaceAllowedIPs);
        Assert.Equal(2, peer.AllowedIPs.Count);
        Assert.Null(peer.Endpoint);
        Assert.Null(peer.PersistentKeepalive);
        Assert.Null(peer.PresharedKey);
        Assert.Null(diff.PrivateKey);
        Assert.Null(diff.ListenPort);
        Assert.False(diff.ReplacePeers);
    }

    [Fact]
    public void Diff_PeerNoLongerWanted_IsRemovedAndNewPeerAddedWithItsAllowedIPs()
    {
        var current = new WireGuardDevice(Private, 51820, [Live(0, "fd00::2/128")]);
        var desired = new WireGuardDeviceSpec(Private, 51821, [Wanted(2, "fd00::4/128")]);

        var diff = WireGuardSync.Diff(current, desired, null);

        Assert.Equal(51821, diff.ListenPort);
        Assert.Collection(
            diff.Peers,
            removed => Assert.Equal((Keys[0], true), (removed.PublicKey, removed.Remove)),
            added => Assert.Equal((Keys[2], false, false, true), (added.PublicKey, added.Remove, added.UpdateOnly, added.ReplaceAllowedIPs)));
    }

    [Fact]
    public void Diff_LiveEndpointRoamedButDesiredUnchangedSinceLastApply_LeavesEndpointAlone()
    {
        var roamed = Live(0, "fd00::2/128") with { Endpoint = Endpoints[1] };
        var desired = new WireGuardDeviceSpec(Private, 51820, [Wanted(0, "fd00::2/128")]);

        Assert.True(WireGuardSync.Diff(new WireGuardDevice(Private, 51820, [roamed]), desired, WireGuardSync.EndpointsOf(desired)).IsEmpty);
        Assert.Equal(Endpoints[0], Assert.Single(WireGuardSync.Diff(new WireGuardDevice(Private, 51820, [roamed]), desired, null).Peers).Endpoint);
    }

    private static readonly Gen<IPNetwork[]> AllowedSubset =
        Gen.Bool.Array[Prefixes.Length].Select(pick => Prefixes.Where((_, i) => pick[i]).ToArray());

    private static readonly Gen<(IPEndPoint?, IPNetwork[], string?, int?)> PeerSettings =
        Gen.Select(Gen.Int[0, Endpoints.Length], AllowedSubset, Gen.Int[0, 2], Gen.Int[0, 2], (e, a, p, k) =>
            (e == Endpoints.Length ? null : Endpoints[e], a, p == 0 ? null : Keys[5 - p], k == 0 ? (int?)null : k * 10));

    private static readonly Gen<WireGuardDevice> CurrentDevices =
        Gen.Select(Gen.Bool.Array[Keys.Length], PeerSettings.Array[Keys.Length], Gen.Int[51820, 51822], Gen.Bool, (present, settings, port, sameKey) =>
            new WireGuardDevice(sameKey ? Private : null, port, [.. Enumerable.Range(0, Keys.Length).Where(i => present[i]).Select(i =>
                new WireGuardPeer(Keys[i], settings[i].Item3, settings[i].Item1, DateTimeOffset.UnixEpoch.AddSeconds(i + 1), i, i, settings[i].Item4 ?? 0, settings[i].Item2))]));

    private static readonly Gen<WireGuardDeviceSpec> DesiredDevices =
        Gen.Select(Gen.Bool.Array[Keys.Length], PeerSettings.Array[Keys.Length], Gen.Int[51820, 51822], (present, settings, port) =>
            new WireGuardDeviceSpec(Private, port, [.. Enumerable.Range(0, Keys.Length).Where(i => present[i]).Select(i =>
                new WireGuardPeerSpec(Keys[i], settings[i].Item1, settings[i].Item2, settings[i].Item3, settings[i].Item4))]));

    [Fact]
    public void Diff_AppliedToCurrent_YieldsDesiredAndTouchesNoUnchangedPeer() =>
        Gen.Select(CurrentDevices, DesiredDevices).Sample((current, desired) =>
        {
            var diff = WireGuardSync.Diff(current, desired, null);
            var result = WireGuardSync.Apply(current, diff);

            Assert.Equal(desired.PrivateKey, result.PrivateKey);
            Assert.Equal(desired.ListenPort, result.ListenPort);
            Assert.Equal(desired.Peers.Select(p => p.PublicKey).Order(), result.Peers.Select(p => p.PublicKey).Order());
            foreach (var wanted in desired.Peers)
            {
                var got = result.Peers.Single(p => p.PublicKey == wanted.PublicKey);
                Assert.True(got.AllowedIPs.ToHashSet().SetEquals(wanted.AllowedIPs), $"allowed IPs of {wanted.PublicKey}");
                Assert.Equal(wanted.PresharedKey, got.PresharedKey);
                Assert.Equal(wanted.PersistentKeepalive ?? 0, got.PersistentKeepalive);
                if (wanted.Endpoint is not null)
                {
                    Assert.Equal(wanted.Endpoint, got.Endpoint);
                }
            }

            foreach (var untouched in current.Peers.Where(p => IsUnchanged(p, desired)))
            {
                Assert.DoesNotContain(diff.Peers, c => c.PublicKey == untouched.PublicKey);
            }

            Assert.True(WireGuardSync.Diff(result, desired, null).IsEmpty, "a second diff after applying the first is empty");
        });

    private static bool IsUnchanged(WireGuardPeer live, WireGuardDeviceSpec desired) =>
        desired.Peers.SingleOrDefault(p => p.PublicKey == live.PublicKey) is { } wanted
        && live.AllowedIPs.ToHashSet().SetEquals(wanted.AllowedIPs)
        && live.PresharedKey == wanted.PresharedKey
        && live.PersistentKeepalive == (wanted.PersistentKeepalive ?? 0)
        && (wanted.Endpoint is null || Equals(wanted.Endpoint, live.Endpoint));
}
