using Dunning.Cases;
using Dunning.Common;

namespace Dunning.Tests.Cases;

public class SignalNoteTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly CaseEvent Payment = new CaseEvent.PaymentReceived(At, new Money(10m, "EUR"), "p-1", "manual");

    [Fact]
    public void A_host_without_an_inbox_notes_refusals_only_each_under_one_id_for_the_same_signal_and_time()
    {
        var refused = SignalNote.RefusalOf(Payment, At, new Reception.NotApplied(new CommandResult.Conflict("currency: the invoice is in USD, not EUR.")));
        var again = SignalNote.RefusalOf(Payment, At, new Reception.NotApplied(new CommandResult.Conflict("currency: the invoice is in USD, not EUR.")));

        Assert.NotNull(refused);
        Assert.Equal(SignalNote.Refused, refused.Outcome);
        Assert.Equal("currency: the invoice is in USD, not EUR.", refused.Note);
        Assert.Equal(refused.Id, again!.Id);
        Assert.Null(SignalNote.RefusalOf(Payment, At, new Reception.NotApplied(new CommandResult.Unchanged("already counted"))));
    }
}
