using System.Net;

namespace WgIsolate.NodeAgent.HostMode.Runtime;

/// <summary>What `wgisolate up` was asked to do.</summary>
internal sealed record UpSettings(string Manifests, string StateDirectory, IPAddress EndpointAddress, bool SkipInvalid, TimeSpan Resync);
