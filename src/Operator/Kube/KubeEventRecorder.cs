using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace WgIsolate.Operator.Kube;

/// <summary>
/// Writes core/v1 Events. A level-triggered reconciler sees the same situation many times, so an event identical
/// to one already written about the same object (same type, reason and message) is not written again.
/// </summary>
public sealed class KubeEventRecorder(IKubernetes client, TimeProvider time, ILogger<KubeEventRecorder> logger) : IEventRecorder
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<string>> _writtenByObject = [];

    public Task NormalAsync(IKubernetesObject<V1ObjectMeta> about, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(about, "Normal", reason, message, cancellationToken);

    public Task WarningAsync(IKubernetesObject<V1ObjectMeta> about, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(about, "Warning", reason, message, cancellationToken);

    private async Task RecordAsync(IKubernetesObject<V1ObjectMeta> about, string type, string reason, string message,
        CancellationToken cancellationToken)
    {
        var objectKey = $"{about.Kind}/{about.Metadata.NamespaceProperty}/{about.Metadata.Name}/{about.Metadata.Uid}";
        var fingerprint = $"{type}/{reason}/{message}";
        lock (_lock)
        {
            if (!_writtenByObject.TryGetValue(objectKey, out var written)) _writtenByObject[objectKey] = written = [];
            if (!written.Add(fingerprint)) return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var ns = string.IsNullOrEmpty(about.Metadata.NamespaceProperty) ? "default" : about.Metadata.NamespaceProperty;
        var e = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = $"{about.Metadata.Name}.", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = about.ApiVersion,
                Kind = about.Kind,
                Name = about.Metadata.Name,
                NamespaceProperty = about.Metadata.NamespaceProperty,
                Uid = about.Metadata.Uid,
                ResourceVersion = about.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            Source = new V1EventSource { Component = OperatorLabels.Component },
            ReportingComponent = OperatorLabels.Component,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };

        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(e, ns, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An event is a courtesy to the user; failing to write one must not fail the reconcile that caused it.
            logger.LogWarning(ex, "Could not record event {Reason} on {Kind} {Namespace}/{Name}", reason, about.Kind, ns, about.Metadata.Name);
        }
    }
}
