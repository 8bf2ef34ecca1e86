using System.Net;
using k8s.Autorest;

namespace WgIsolate.Operator.Kube;

internal static class KubeErrors
{
    public static bool IsConflict(Exception e) => Status(e) == HttpStatusCode.Conflict;

    public static bool IsNotFound(Exception e) => Status(e) == HttpStatusCode.NotFound;

    /// <summary>422: invalid, or a JSON patch "test" operation that failed.</summary>
    public static bool IsUnprocessable(Exception e) => Status(e) == HttpStatusCode.UnprocessableEntity;

    // The generated calls throw HttpOperationException; KubeHttp's requests throw HttpRequestException.
    private static HttpStatusCode? Status(Exception e) => e switch
    {
        HttpOperationException generated => generated.Response?.StatusCode,
        HttpRequestException raw => raw.StatusCode,
        _ => null,
    };
}

/// <summary>
/// Read-modify-write with the object's resourceVersion: a 409 means someone wrote in between (an agent's status
/// write bumps the version too), so read again and re-apply the same pure change.
/// </summary>
internal static class OptimisticConcurrency
{
    public const int MaxAttempts = 8;

    public static async Task<T> RetryOnConflictAsync<T>(string what, Func<Task<T>> attempt)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (Exception e) when (KubeErrors.IsConflict(e) && i < MaxAttempts)
            {
                // Someone else wrote first; the next attempt starts from a fresh read.
            }
            catch (Exception e) when (KubeErrors.IsConflict(e))
            {
                throw new InvalidOperationException($"{what}: still conflicting after {MaxAttempts} attempts", e);
            }
        }
    }
}
