using WgIsolate.KernelVm;
using Xunit.Abstractions;

namespace WgIsolate.KernelWireGuardVm.Tests;

/// <summary>Proves the fixture itself with iproute2 and wg only: the kernel module loads and carries traffic.</summary>
public sealed class ShellScenarioTests(ITestOutputHelper output)
{
    // The design recipe's scenario: links made in the root netns (their UDP sockets stay there), then moved.
    private const string PingAcrossTwoNamespaces = """
        set -e
        $IP link add wg1 type wireguard
        $IP link add wg2 type wireguard
        $WG genkey > /tmp/k1; $WG genkey > /tmp/k2
        $WG set wg1 private-key /tmp/k1 listen-port 51821 peer $($WG pubkey < /tmp/k2) endpoint 127.0.0.1:51822 allowed-ips fd00::2/128
        $WG set wg2 private-key /tmp/k2 listen-port 51822 peer $($WG pubkey < /tmp/k1) endpoint 127.0.0.1:51821 allowed-ips fd00::1/128
        $IP link set lo up
        for n in 1 2; do
          $IP netns add ns$n
          $IP link set wg$n netns ns$n
          $IP -n ns$n addr add fd00::$n/64 dev wg$n nodad
          $IP -n ns$n link set lo up
          $IP -n ns$n link set wg$n up
        done
        $IP netns exec ns1 ping -6 -c 1 -W 10 fd00::2
        echo "BEGIN wg-dump"
        $IP netns exec ns1 $WG show all dump
        echo "END wg-dump"
        """;

    [VmFact]
    public void ShellScenario_PingsAcrossKernelWireGuardBetweenTwoNamespaces()
    {
        var kernel = KernelPackage.Obtain();
        var image = Initramfs.Build(kernel, PingAcrossTwoNamespaces);

        var console = QemuVm.Boot(kernel, image, VmLimits.Timeout).EnsurePassed();
        output.WriteLine(console.Timing);

        var dump = console.Section("wg-dump");
        var peerLine = Assert.Single(dump, line => line.Split('\t').Length == 9);
        var latestHandshake = long.Parse(peerLine.Split('\t')[5]);
        Assert.True(latestHandshake > 0, $"the peer never completed a handshake:\n{string.Join('\n', dump)}");
    }
}
