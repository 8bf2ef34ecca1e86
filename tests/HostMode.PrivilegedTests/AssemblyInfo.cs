// The apps of one test are the only WgIsolate apps its state directory owns, but ports, inotify and CPU are
// shared: tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
