namespace WgIsolate.Core.Allocation;

/// <summary>A pool has no free entry left. Allocation refuses rather than hand out a duplicate.</summary>
public sealed class AllocationExhaustedException(string message) : Exception(message);

/// <summary>A fixed value someone asked for is already held by another owner.</summary>
public sealed class AllocationConflictException(string message) : Exception(message);
