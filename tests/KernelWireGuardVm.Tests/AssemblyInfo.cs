// Most tests here only wait for the one probe boot (and the NativeAOT publish before it). With the default of one
// thread per core those waiting tests hold every thread and the shell scenario's own boot starts only afterwards;
// more threads let it boot while the probe is still being published.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
