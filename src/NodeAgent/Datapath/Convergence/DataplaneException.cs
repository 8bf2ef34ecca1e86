namespace WgIsolate.Datapath.Convergence;

/// <summary>A kernel operation failed; the message names the operation, the object and the kernel's reason.</summary>
public class DataplaneException(string message, Exception? inner = null) : Exception(message, inner);
