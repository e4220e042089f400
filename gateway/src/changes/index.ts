export { createNetworkChanges, type FetchNetworkChanges, type FetchNetworkChangesOptions, type NetworkChange, type NetworkChangePage } from './network-changes';
export { feedFacts, networkFeedSdl, withoutMemberFeed } from './feed-sdl';
