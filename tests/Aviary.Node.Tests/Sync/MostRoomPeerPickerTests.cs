using Aviary.Node.Sync;

using static Aviary.Node.Tests.Sync.SyncFixtures;

namespace Aviary.Node.Tests.Sync;

public sealed class MostRoomPeerPickerTests
{
    private static readonly MostRoomPeerPicker Picker = MostRoomPeerPicker.Instance;

    [Fact]
    public void The_peer_with_the_most_free_room_is_picked_and_ties_go_to_the_first()
    {
        var a = Peer(1);
        var b = Peer(2);
        var c = Peer(3);
        Assert.Same(a, Picker.Pick([a, b, c], Now, null, claimersOnly: false));
        a.InFlight = 5;
        c.InFlight = 1;
        Assert.Same(b, Picker.Pick([a, b, c], Now, null, claimersOnly: false));
    }

    [Fact]
    public void The_peer_to_avoid_is_taken_only_when_no_other_can()
    {
        var a = Peer(1);
        var b = Peer(2);
        b.InFlight = 30;
        Assert.Same(b, Picker.Pick([a, b], Now, a, claimersOnly: false));
        b.Excluded = true;
        Assert.Same(a, Picker.Pick([a, b], Now, a, claimersOnly: false));
    }

    [Fact]
    public void Excluded_skipped_and_full_peers_are_never_picked()
    {
        var excluded = Peer(1);
        excluded.Excluded = true;
        var skipped = Peer(2);
        skipped.SkipUntil = Now.AddSeconds(1);
        var full = Peer(3);
        full.InFlight = full.Capacity;
        Assert.Null(Picker.Pick([excluded, skipped, full], Now, null, claimersOnly: false));
        Assert.Same(skipped, Picker.Pick([excluded, skipped, full], Now.AddSeconds(1), null, claimersOnly: false));
    }

    [Fact]
    public void The_fork_search_picks_only_claimers()
    {
        var helper = Peer(1, claimed: false);
        var claimer = Peer(2);
        claimer.InFlight = 20;
        Assert.Same(helper, Picker.Pick([helper, claimer], Now, null, claimersOnly: false));
        Assert.Same(claimer, Picker.Pick([helper, claimer], Now, null, claimersOnly: true));
        Assert.Null(Picker.Pick([helper], Now, null, claimersOnly: true));
    }
}
