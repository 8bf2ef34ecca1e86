// One kernel, one set of threads: the thread-hygiene check after each test must not see another test's switched
// thread, so tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
