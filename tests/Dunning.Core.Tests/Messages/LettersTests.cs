using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Messages;
using Dunning.Plans;
using Dunning.Policies;
using Dunning.Tests.Resolution;

namespace Dunning.Tests.Messages;

public class LettersTests
{
    private static readonly DateOnly Today = new(2026, 1, 31);
    private static readonly Recipient Billing = new("Pat Payables", "ap@slow.example");

    private static Message Compose(string template, Tone tone, Channel channel, DateOnly? deadline = null, CaseState? state = null, Installment? installment = null) =>
        Letters.Compose(state ?? CaseBuilder.Case(amount: 1234.5m).Paid(200m, new DateOnly(2026, 1, 20)), new MessageRequest(template, tone, channel, ContactPurpose.Ladder, Billing, Today, deadline, installment));

    public static TheoryData<string, Tone, Channel> EveryLadderTemplate => new()
    {
        { "courtesy", Tone.Friendly, Channel.Email },
        { "gentle", Tone.Friendly, Channel.Email },
        { "firm", Tone.Firm, Channel.Email },
        { "invoice-copy", Tone.Firm, Channel.Letter },
        { "final-notice", Tone.Final, Channel.Email },
        { "letter-of-claim", Tone.Final, Channel.Letter },
        { "missed-installment", Tone.Firm, Channel.Email },
        { "promise-missed", Tone.Firm, Channel.Email },
        { "unknown-template", Tone.Firm, Channel.Email },
    };

    [Theory]
    [MemberData(nameof(EveryLadderTemplate))]
    public void Every_message_states_what_is_owed_for_which_invoice_since_when_and_every_way_to_pay(string template, Tone tone, Channel channel)
    {
        var message = Compose(template, tone, channel);

        foreach (var part in new[] { message.Text, message.Html })
        {
            Assert.Contains("$1,034.50", part, StringComparison.Ordinal);
            Assert.Contains("1001", part, StringComparison.Ordinal);
            Assert.Contains("1 January 2026", part, StringComparison.Ordinal);
            Assert.Contains("https://pay.example.com/i/1001", part, StringComparison.Ordinal);
            Assert.Contains("Bank transfer (USD): Account 00000000, routing 000000000 (placeholder), reference 1001", part, StringComparison.Ordinal);
            Assert.Contains("Cheque payable to Your Business Ltd", part, StringComparison.Ordinal);
        }

        Assert.Contains("1001", message.Subject, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", message.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_days_overdue_are_counted_from_the_due_date() =>
        Assert.Contains("30 days overdue (it was due on 1 January 2026)", Compose("gentle", Tone.Friendly, Channel.Email).Text, StringComparison.Ordinal);

    [Fact]
    public void Emails_carry_an_opt_out_line_and_letters_do_not() 
    {
        Assert.Contains("If you would rather not receive these emails", Compose("gentle", Tone.Friendly, Channel.Email).Text, StringComparison.Ordinal);
        Assert.DoesNotContain("rather not receive", Compose("invoice-copy", Tone.Firm, Channel.Letter).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Amounts_and_wording_are_the_customers_language_else_the_business_language()
    {
        var euros = CaseBuilder.Case(amount: 1234.5m, currency: "EUR").Paid(200m, new DateOnly(2026, 1, 20));
        var german = euros with { Customer = euros.Customer with { Language = "de-DE" } };
        var businessInFrench = euros with { Policy = euros.Policy with { Business = euros.Policy.Business with { Language = "fr-FR" } } };

        Assert.Contains("Offener Betrag: 1.034,50 € (Rechnung 1001", Compose("gentle", Tone.Friendly, Channel.Email, state: german).Text.Replace('\u00A0', ' '), StringComparison.Ordinal);
        Assert.Contains("Montant dû : 1\u202F034,50 € (facture 1001", Compose("gentle", Tone.Friendly, Channel.Email, state: businessInFrench).Text.Replace('\u00A0', ' '), StringComparison.Ordinal);
        Assert.Contains("Amount owed: €1,034.50 (invoice 1001", Compose("gentle", Tone.Friendly, Channel.Email, state: euros).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Letters_carry_the_owners_personal_note_and_the_amount_highlighted_and_emails_do_not_carry_the_note()
    {
        var letter = Compose("invoice-copy", Tone.Firm, Channel.Letter);
        var email = Compose("firm", Tone.Firm, Channel.Email);

        Assert.Contains(DefaultPolicy.Value.Business.OwnerNote!, letter.Text, StringComparison.Ordinal);
        Assert.Contains("<p class=\"note\">", letter.Html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"owed\">Amount owed: $1,034.50 (invoice 1001, due 1 January 2026).</p>", letter.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(DefaultPolicy.Value.Business.OwnerNote!, email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_call_task_is_a_script_that_states_the_reason_first()
    {
        var script = Compose("call", Tone.Firm, Channel.Call);

        Assert.StartsWith("Say first: I'm calling from Your Business Ltd about invoice 1001", script.Text, StringComparison.Ordinal);
        Assert.Contains("payment plan", script.Text, StringComparison.Ordinal);
        Assert.Contains("dispute", script.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deadline_is_stated_as_a_date()
    {
        var notice = Compose("final-notice", Tone.Final, Channel.Email, deadline: new DateOnly(2026, 2, 14));

        Assert.Contains("by 14 February 2026", notice.Text, StringComparison.Ordinal);
        Assert.StartsWith("Final notice", notice.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Tone_rises_without_threats_the_gentle_reminder_does_not_mention_courts_and_the_final_notice_states_the_next_step_calmly()
    {
        var gentle = Compose("gentle", Tone.Friendly, Channel.Email).Text;
        var final = Compose("final-notice", Tone.Final, Channel.Email, deadline: Today.AddDays(14)).Text;

        Assert.DoesNotContain("court", gentle, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("agency", gentle, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("we intend to", final, StringComparison.Ordinal);
        foreach (var word in new[] { "arrest", "prison", "jail", "criminal", "police" })
        {
            Assert.DoesNotContain(word, final, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void A_missed_installment_reminder_names_the_installment()
    {
        var message = Compose("missed-installment", Tone.Firm, Channel.Email, installment: new Installment(2, new DateOnly(2026, 1, 25), new Money(300m, "USD")));

        Assert.Contains("Installment 2 of your payment plan for invoice 1001, $300.00 due on 25 January 2026", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_from_customers_and_businesses_is_escaped_in_html()
    {
        var state = CaseBuilder.Case() with
        {
            Policy = DefaultPolicy.Value with { Business = DefaultPolicy.Value.Business with { Name = "Smith & <Sons>" } },
        };

        var message = Compose("gentle", Tone.Friendly, Channel.Email, state: state);

        Assert.Contains("Smith &amp; &lt;Sons&gt;", message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Sons>", message.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_any_payment_details_the_message_says_whom_to_contact()
    {
        var business = DefaultPolicy.Value.Business with { PaymentLinkTemplate = null, BankTransfer = null, ChequePayableTo = null };
        var state = CaseBuilder.Case() with { Policy = DefaultPolicy.Value with { Business = business } };

        Assert.Contains("Contact accounts@example.com or +1 555 0100 for payment details", Compose("gentle", Tone.Friendly, Channel.Email, state: state).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("final-notice", Tone.Final)]
    [InlineData("firm", Tone.Firm)]
    [InlineData("missed-installment", Tone.Firm)]
    public void The_amount_owed_and_the_deadline_are_each_said_once_in_text_and_html(string template, Tone tone)
    {
        var message = Compose(template, tone, Channel.Email, deadline: new DateOnly(2026, 2, 14), installment: new Installment(1, new DateOnly(2026, 1, 25), new Money(300m, "USD")));

        foreach (var part in new[] { message.Text, message.Html })
        {
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(part, "Amount owed"));
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(part, "Please pay by 14 February 2026"));
        }
    }

    [Fact]
    public void The_html_part_carries_the_senders_contact_line_like_the_text()
    {
        var message = Compose("gentle", Tone.Friendly, Channel.Email);

        Assert.Contains("accounts@example.com | +1 555 0100", message.Text, StringComparison.Ordinal);
        Assert.Contains("<p class=\"contact\">accounts@example.com | +1 555 0100</p>", message.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_email_has_a_pay_button_to_the_invoices_own_payment_link()
    {
        var business = DefaultPolicy.Value.Business with { PaymentLinkTemplate = "https://buy.stripe.example/pay?invoice={invoiceNumber}&amount={amount}&currency={currency}" };
        var state = CaseBuilder.Case(amount: 1234.5m).Paid(200m, new DateOnly(2026, 1, 20)) with { Policy = DefaultPolicy.Value with { Business = business } };

        var message = Compose("gentle", Tone.Friendly, Channel.Email, state: state);

        Assert.Contains("<a class=\"pay\" href=\"https://buy.stripe.example/pay?invoice=1001&amp;amount=1034.50&amp;currency=USD\">Pay $1,034.50 now</a>", message.Html, StringComparison.Ordinal);
        Assert.Contains("Online: https://buy.stripe.example/pay?invoice=1001&amount=1034.50&currency=USD", message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"pay\"", Compose("invoice-copy", Tone.Firm, Channel.Letter, state: state).Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_customer_paying_in_euros_is_given_the_euro_instructions_and_never_a_us_routing_number()
    {
        var business = DefaultPolicy.Value.Business with
        {
            PaymentsByCurrency = ValueList.Of(new CurrencyPayment("EUR", "https://pay.example.net/eur/{invoiceNumber}", "IBAN DE00 0000 0000 0000 0000 00, BIC TESTDEFFXXX, reference {invoiceNumber}")),
        };
        var state = CaseBuilder.Case(jurisdiction: "DE", currency: "EUR") with { Policy = DefaultPolicy.Value with { Business = business } };

        var message = Compose("gentle", Tone.Friendly, Channel.Email, state: state);

        Assert.Contains("Bank transfer (EUR): IBAN DE00 0000 0000 0000 0000 00, BIC TESTDEFFXXX, reference 1001", message.Text, StringComparison.Ordinal);
        Assert.Contains("https://pay.example.net/eur/1001", message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("routing", message.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Cheque", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_final_notice_for_a_debt_below_the_minimum_worth_pursuing_threatens_nothing()
    {
        var small = CaseBuilder.Case(amount: 75m);

        var final = Compose("final-notice", Tone.Final, Channel.Email, deadline: Today.AddDays(14), state: small);

        Assert.DoesNotContain("agency", final.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("claim", final.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("court", final.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("contact us by 14 February 2026", final.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_final_notice_names_the_one_step_the_policy_would_take_at_its_deadline()
    {
        var state = CaseBuilder.Case(amount: 1234.5m);
        var kind = Dunning.Cases.Resolution.Recommend(state, Today.AddDays(14)).Kind;
        var agency = CaseBuilder.Case(amount: 90_000m);
        Assert.Equal(OutcomeKind.CollectionAgency, Dunning.Cases.Resolution.Recommend(agency, Today.AddDays(14)).Kind);

        var final = Compose("final-notice", Tone.Final, Channel.Email, deadline: Today.AddDays(14), state: state).Text;
        var toAgency = Compose("final-notice", Tone.Final, Channel.Email, deadline: Today.AddDays(14), state: agency).Text;

        Assert.Equal(kind == OutcomeKind.SmallClaims, final.Contains("file a small claim", StringComparison.Ordinal));
        Assert.Contains("pass this debt to a collection agency", toAgency, StringComparison.Ordinal);
        Assert.DoesNotContain("small claim", toAgency, StringComparison.Ordinal);
    }
}
