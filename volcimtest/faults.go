package volcimtest

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// FaultKind is a kind of fault the server can inject into a reply.
type FaultKind int

// Fault kinds. The status faults answer in the API's envelope with the
// gateway's code for the status and skip every other check (the request
// never reaches the action and does not count toward the QPS limit).
const (
	// FaultNone injects nothing: the request is served normally. In a
	// script it lets one request through.
	FaultNone FaultKind = iota
	// Fault500 answers HTTP 500 InternalError.
	Fault500
	// Fault502 answers HTTP 502 InternalServiceError.
	Fault502
	// Fault503 answers HTTP 503 ServiceUnavailableTemp, with a Retry-After
	// header when Fault.RetryAfter is set.
	Fault503
	// Fault429 answers HTTP 429 FlowLimitExceeded, with a Retry-After
	// header when Fault.RetryAfter is set.
	Fault429
	// FaultDrop closes the connection without any reply, as a crashed
	// proxy would.
	FaultDrop
	// FaultTruncate serves the request, sends its reply's headers with the
	// full Content-Length but only the first half of the body, and closes
	// the connection.
	FaultTruncate
	// FaultSlow waits Fault.Delay (WithSlowFaultDelay when zero) before
	// serving the request normally. The wait ends early, with no reply,
	// when the client gives up (its context or attempt timeout) or the
	// server closes.
	FaultSlow
	// FaultDropReply serves the request (a write is carried out) and then
	// closes the connection without any reply: the client cannot tell
	// whether the server acted.
	FaultDropReply
)

// String returns the kind's name, e.g. "503" or "drop".
func (k FaultKind) String() string {
	switch k {
	case FaultNone:
		return "none"
	case Fault500:
		return "500"
	case Fault502:
		return "502"
	case Fault503:
		return "503"
	case Fault429:
		return "429"
	case FaultDrop:
		return "drop"
	case FaultTruncate:
		return "truncate"
	case FaultSlow:
		return "slow"
	case FaultDropReply:
		return "drop-reply"
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

func (k FaultKind) valid() bool { return k >= FaultNone && k <= FaultDropReply }

// Fault is one injected fault. See [Server.Script].
type Fault struct {
	// Kind is what happens to the request.
	Kind FaultKind
	// Action limits the fault to requests of this action
	// ("GetConversationMessages", ...); empty means the next request of
	// any action.
	Action string
	// RetryAfter, when positive, adds a Retry-After header (whole seconds,
	// rounded up) to a Fault429 or Fault503 reply.
	RetryAfter time.Duration
	// Delay is how long a FaultSlow waits; zero means WithSlowFaultDelay's
	// value (1s by default).
	Delay time.Duration
}

// DefaultSlowFaultDelay is how long a FaultSlow waits when neither its Delay
// nor WithSlowFaultDelay says otherwise.
const DefaultSlowFaultDelay = time.Second

// defaultRandomFaults are the kinds WithFaultRate draws from when given none:
// every fault a client should survive by retrying, except the slow one.
var defaultRandomFaults = []FaultKind{Fault500, Fault502, Fault503, Fault429, FaultDrop, FaultTruncate}

// Script queues faults for the next requests, in order: each request takes
// the first queued fault whose Action is empty or its own action, so
// Script(Fault{Kind: Fault503}, Fault{Kind: Fault503}) makes the next two
// requests fail with 503 and lets the third through. A FaultNone entry lets
// one request through. Faults queued by successive calls follow each other.
// A scripted fault takes precedence over WithFaultRate: a request that
// consumes one draws no random fault.
//
// It panics on an unknown FaultKind.
func (s *Server) Script(faults ...Fault) {
	for _, f := range faults {
		if !f.Kind.valid() {
			panic("volcimtest: Script: unknown " + f.Kind.String())
		}
		if f.Delay < 0 || f.RetryAfter < 0 {
			panic("volcimtest: Script: negative Delay or RetryAfter")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, faults...)
}

// PendingFaults returns the scripted faults not consumed yet, in order.
func (s *Server) PendingFaults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Fault(nil), s.script...)
}

// randomFaults is the state of WithFaultRate.
type randomFaults struct {
	rate  float64
	kinds []FaultKind
	rng   *rand.Rand
}

// nextFault picks the fault of a request of action: the first matching
// scripted fault, else a random one. s.mu must be held.
func (s *Server) nextFault(action string) Fault {
	for i, f := range s.script {
		if f.Action == "" || f.Action == action {
			s.script = append(s.script[:i], s.script[i+1:]...)
			if len(s.script) == 0 {
				s.script = nil
			}
			return f
		}
	}
	if rf := s.random; rf != nil && rf.rate > 0 {
		if rf.rng.Float64() < rf.rate {
			return Fault{Kind: rf.kinds[rf.rng.IntN(len(rf.kinds))]}
		}
	}
	return Fault{}
}
