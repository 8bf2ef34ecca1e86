using System.Security.Cryptography;
using k8s;
using k8s.Models;

namespace WgIsolate.Operator.Kube;

public sealed class KubePresharedKeyStore(IKubernetes client, string ns, string secretName) : IPresharedKeyStore
{
    // WireGuard's preshared key: 32 random bytes, base64 in the Secret's value as `wg` expects it.
    private const int KeyBytes = 32;

    public string SecretName => secretName;

    public Task<bool> EnsureAsync(IReadOnlySet<string> entries, bool prune, CancellationToken cancellationToken) =>
        OptimisticConcurrency.RetryOnConflictAsync($"Secret {ns}/{secretName}", async () =>
        {
            V1Secret? current = null;
            try
            {
                current = await client.CoreV1.ReadNamespacedSecretAsync(secretName, ns, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (KubeErrors.IsNotFound(e))
            {
                // Created below on the first link that asks for a key.
            }

            var existing = current?.Data ?? new Dictionary<string, byte[]>();
            if (entries.All(existing.ContainsKey) && (!prune || existing.Count == entries.Count)) return false;

            var kept = prune ? entries : entries.Union(existing.Keys).ToHashSet();
            var data = kept.ToDictionary(e => e, e => existing.TryGetValue(e, out var key) ? key : NewKey());
            if (current is null)
            {
                var secret = new V1Secret
                {
                    Metadata = new V1ObjectMeta { Name = secretName, NamespaceProperty = ns, Labels = OperatorLabels.ManagedBy },
                    Type = "Opaque",
                    Data = data,
                };
                await client.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: cancellationToken);
                return true;
            }

            current.Data = data;
            await client.CoreV1.ReplaceNamespacedSecretAsync(current, secretName, ns, cancellationToken: cancellationToken);
            return true;
        });

    private static byte[] NewKey() => System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)));
}
