// Pages without analyses: sign-up, confirmation, login and its one-time password, password
// reissue, settings, plan, groups, and the explained error pages. Each module registers its own routes
// and texts; importing it is enough.
import './login';
import './signup';
import './confirm';
import './password';
import './settings';
import './plan';
import './groups';
import './notfound';
