package surveys

import (
	"context"
	"io"
	"math/rand/v2"
	"net/url"
	"sort"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// TokenBytes is the size of an invitation token: 144 random bits, 24 base64url
// characters (docs/rules.md, "Reaching a client": at least 128 bits; Telegram's start
// parameter takes up to 64 characters of A-Z, a-z, 0-9, _ and -).
const TokenBytes = 18

// CreateResult tells what CreateInvitations did.
type CreateResult struct {
	Period   civil.Month `json:"period"`
	Version  int         `json:"version"`
	Clients  int         `json:"clients"`  // clients with surveyable services
	Invited  int         `json:"invited"`  // clients invited before
	Created  int         `json:"created"`  // invitations created now
	Services int         `json:"services"` // services the new invitations cover
	Expires  time.Time   `json:"expires"`
}

// CreateInvitations issues one invitation to each client of period p's survey rows
// who has none for the period yet, or to a random sample of sample of them (0: all),
// drawn reproducibly from seed. Each invitation is bound to the client and the
// client's services in the period; its token is stored only as a keyed hash (and
// sealed for export). It syncs the period's survey directory first.
func (a *Admin) CreateInvitations(ctx context.Context, p civil.Month, sample int, seed uint64) (*CreateResult, error) {
	if _, _, err := a.Sync(ctx, p); err != nil {
		return nil, err
	}
	clients, v, err := a.Clients(ctx, p)
	if err != nil {
		return nil, err
	}
	res := &CreateResult{Period: p, Version: v, Clients: len(clients)}
	if v == 0 {
		return res, qoldau.E(qoldau.Invalid, texts.Text("period-has-no-counted-register"), nil)
	}
	invited := map[string]bool{}
	if err := a.Store.Invitations(ctx, p, p, func(inv *qoldau.Invitation) error {
		invited[inv.Client] = true
		return nil
	}); err != nil {
		return nil, err
	}
	var todo []*Client
	for _, c := range clients {
		if invited[c.ID] {
			res.Invited++
		} else {
			todo = append(todo, c)
		}
	}
	if sample > 0 && sample < len(todo) {
		rnd := rand.New(rand.NewPCG(seed, uint64(p)))
		rnd.Shuffle(len(todo), func(i, j int) { todo[i], todo[j] = todo[j], todo[i] })
		todo = todo[:sample]
		sort.Slice(todo, func(i, j int) bool { return todo[i].ID < todo[j].ID })
	}
	now := a.now()
	ttl := a.TTL
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	res.Expires = now.Add(ttl)
	for _, c := range todo {
		tok, err := secret.Token(a.Rand, TokenBytes)
		if err != nil {
			return res, qoldau.Errorf(qoldau.Internal, "%v", err)
		}
		inv := &qoldau.Invitation{
			TokenHash: a.Keys.TokenHash(tok), Client: c.ID, Period: p, Region: c.Region,
			Services: c.Services, Created: now, Expires: now.Add(ttl), Sealed: a.Keys.Seal(tok),
		}
		if err := a.Store.PutInvitation(ctx, inv); err != nil {
			return res, err
		}
		res.Created++
		res.Services += len(c.Services)
	}
	return res, nil
}

// Link returns the invitation link of a token: https://t.me/<bot>?start=<token>.
func Link(bot, token string) string {
	return "https://t.me/" + url.PathEscape(bot) + "?start=" + token
}

// ExportInvitations writes period p's invitations that are neither used nor expired
// as an .xlsx list for SMS or e-mail delivery: client, phone, e-mail, link, expiry.
// It returns how many it wrote. The list holds personal data: it goes to the
// agency only.
func (a *Admin) ExportInvitations(ctx context.Context, p civil.Month, bot string, w io.Writer) (int, error) {
	clients, _, err := a.Clients(ctx, p)
	if err != nil {
		return 0, err
	}
	byID := map[string]*Client{}
	for _, c := range clients {
		byID[c.ID] = c
	}
	xw := xlsx.NewWriter(w, "Invitations")
	xw.SetHeaderRows(1)
	xw.SetColWidths([]float64{36, 16, 28, 60, 12, 10})
	if err := xw.WriteRow([]xlsx.Value{xlsx.Text("client_name"), xlsx.Text("phone"), xlsx.Text("email"),
		xlsx.Text("link"), xlsx.Text("expires"), xlsx.Text("services")}); err != nil {
		return 0, qoldau.Errorf(qoldau.Internal, "export: %v", err)
	}
	now := a.now()
	n := 0
	err = a.Store.Invitations(ctx, p, p, func(inv *qoldau.Invitation) error {
		if !inv.Used.IsZero() || inv.Expired(now) {
			return nil
		}
		tok, err := a.Keys.Open(inv.Sealed)
		if err != nil {
			return qoldau.E(qoldau.Invalid, texts.Text("invitation-was-made-with-another"), err)
		}
		c := byID[inv.Client]
		if c == nil {
			c = &Client{} // the row was corrected away: the link still works
		}
		n++
		return xw.WriteRow([]xlsx.Value{xlsx.Text(c.Name), xlsx.Text(c.Phone), xlsx.Text(c.Email),
			xlsx.Text(Link(bot, tok)), xlsx.DateOf(workday.Today(inv.Expires)), xlsx.Num(float64(len(inv.Services)))})
	})
	if err != nil {
		return n, err
	}
	if err := xw.Close(); err != nil {
		return n, qoldau.Errorf(qoldau.Internal, "export: %v", err)
	}
	return n, nil
}
