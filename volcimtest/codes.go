package volcimtest

import (
	"net/http"

	volcim "github.com/volcim/volcim-go"
)

// apiError is an error reply: its HTTP status and the envelope's Error.
type apiError struct {
	status  int
	code    string
	codeN   int64
	message string
}

// Error codes this server answers with; see the package documentation.
const (
	codeMissingParameter           = volcim.CodeMissingParameter
	codeMissingAuthenticationToken = volcim.CodeMissingAuthenticationToken
	codeInvalidTimestamp           = volcim.CodeInvalidTimestamp
	codeInvalidActionOrVersion     = volcim.CodeInvalidActionOrVersion
	codeInvalidAccessKey           = volcim.CodeInvalidAccessKey
	codeSignatureDoesNotMatch      = volcim.CodeSignatureDoesNotMatch
	codeInternalError              = volcim.CodeInternalError
	codeMethodNotAllowed           = volcim.CodeMethodNotAllowed
	codeFlowLimitExceeded          = volcim.CodeFlowLimitExceeded
	codeServiceUnavailableTemp     = volcim.CodeServiceUnavailableTemp
	codeInternalServiceError       = volcim.CodeInternalServiceError
	codeJSONParsingError           = volcim.CodeJSONParsingError
	codeInvalidParam               = volcim.CodeInvalidParam
	codeConversationNotFound       = volcim.CodeConversationNotFound
	codeLiveConversationNotSupport = volcim.CodeLiveConversationNotSupport
	codeConversationIDsInvalidElem = volcim.CodeConversationShortIDsHasInvalidElem
	codeMessageNotFound            = volcim.CodeMessageNotFound
	codeParticipantNotInConv       = volcim.CodeParticipantNotInConversation
	codeParticipantNotFound        = volcim.CodeParticipantNotFound
	codeSettingNotFound            = volcim.CodeSettingNotFound
	codeOnlyLiveConversation       = volcim.CodeOnlyLiveConversationSupport
	codeNoAuth                     = volcim.CodeNoAuth
)

type codeInfo struct {
	status int
	codeN  int64
}

// codes maps each code to its HTTP status and CodeN. IM business errors are
// answered with HTTP 200 (their status is not documented). Each area file
// may add the codes of its own actions in a table of its own.
var codes = joinCodes(baseCodes, messageCodes, conversationCodes, participantCodes, liveGroupCodes, userCodes, contactCodes)

func joinCodes(tables ...map[string]codeInfo) map[string]codeInfo {
	all := make(map[string]codeInfo)
	for _, t := range tables {
		for c, info := range t {
			if _, dup := all[c]; dup {
				panic("volcimtest: code " + c + " defined twice")
			}
			all[c] = info
		}
	}
	return all
}

// baseCodes are the gateway's codes and the IM codes several areas use.
var baseCodes = map[string]codeInfo{
	codeMissingParameter:           {http.StatusBadRequest, 100001},
	codeMissingAuthenticationToken: {http.StatusUnauthorized, 100002},
	codeInvalidTimestamp:           {http.StatusBadRequest, 100005},
	codeInvalidActionOrVersion:     {http.StatusNotFound, 100007},
	codeInvalidAccessKey:           {http.StatusUnauthorized, 100009},
	codeSignatureDoesNotMatch:      {http.StatusUnauthorized, 100010},
	codeInternalError:              {http.StatusInternalServerError, 100013},
	codeMethodNotAllowed:           {http.StatusMethodNotAllowed, 100015},
	codeFlowLimitExceeded:          {http.StatusTooManyRequests, 100018},
	codeServiceUnavailableTemp:     {http.StatusServiceUnavailable, 100019},
	codeInternalServiceError:       {http.StatusBadGateway, 100020},
	codeJSONParsingError:           {http.StatusOK, 700001},
	codeInvalidParam:               {http.StatusOK, 700002},
	codeConversationNotFound:       {http.StatusOK, 700003},
	codeLiveConversationNotSupport: {http.StatusOK, 700004},
	codeConversationIDsInvalidElem: {http.StatusOK, 700005},
	codeMessageNotFound:            {http.StatusOK, 700006},
	codeParticipantNotInConv:       {http.StatusOK, 700007},
	codeParticipantNotFound:        {http.StatusOK, 700008},
	codeSettingNotFound:            {http.StatusOK, 700009},
	codeOnlyLiveConversation:       {http.StatusOK, 700010},
	codeNoAuth:                     {http.StatusOK, 700011},
}

// newError returns the error reply of code with message.
func newError(code, message string) *apiError {
	info, ok := codes[code]
	if !ok {
		panic("volcimtest: unknown code " + code)
	}
	return &apiError{status: info.status, code: code, codeN: info.codeN, message: message}
}
