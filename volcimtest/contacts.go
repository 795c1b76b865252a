package volcimtest

// contactHandlers answers the friend and block-list actions.
var contactHandlers = map[string]handler{}

// contactData is the server-wide state of the friend and block-list actions.
type contactData struct{}

// contactCodes are the codes only this area answers (CodeN 760001 upwards).
var contactCodes = map[string]codeInfo{}
