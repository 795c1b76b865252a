package volcimtest

// userHandlers answers the user, tag, token and presence actions.
var userHandlers = map[string]handler{}

// userData is the server-wide state of the user actions.
type userData struct{}

// userCodes are the codes only this area answers (CodeN 750001 upwards).
var userCodes = map[string]codeInfo{}
