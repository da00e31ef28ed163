# Exact posterior of linear_regression.ppl: (alpha, beta) | sigma is Gaussian (conjugate), sigma by quadrature;
# compared with each fit folder given: python3 examples/accuracy/linear_regression_reference.py out/linear_regression
import json, math, csv, sys
d=json.load(open(__import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..', 'linear_regression', 'linear_regression.data.json')))
X=[[1.0]+row for row in d['X']]; y=d['y']; N=len(y); P=3
def solve(A,b):
    n=len(A); M=[A[i][:]+[b[i]] for i in range(n)]
    for c in range(n):
        p=max(range(c,n),key=lambda r:abs(M[r][c])); M[c],M[p]=M[p],M[c]
        for r in range(n):
            if r!=c:
                f=M[r][c]/M[c][c]
                for k in range(c,n+1): M[r][k]-=f*M[c][k]
    return [M[i][n]/M[i][i] for i in range(n)]
def inv(A): return [list(col) for col in zip(*[solve(A,[1.0 if i==j else 0.0 for i in range(P)]) for j in range(P)])]
def det(A):
    a=A; return a[0][0]*(a[1][1]*a[2][2]-a[1][2]*a[2][1])-a[0][1]*(a[1][0]*a[2][2]-a[1][2]*a[2][0])+a[0][2]*(a[1][0]*a[2][1]-a[1][1]*a[2][0])
XtX=[[sum(X[n][i]*X[n][j] for n in range(N)) for j in range(P)] for i in range(P)]
Xty=[sum(X[n][i]*y[n] for n in range(N)) for i in range(P)]; yty=sum(v*v for v in y)
W=0; m1=[0]*P; m2=[0]*P; s1=0; s2=0
for k in range(4000):
    sg=(k+0.5)*3/4000
    prec=[[XtX[i][j]/sg**2+(1/100 if i==j else 0) for j in range(P)] for i in range(P)]
    cov=inv(prec); mean=[sum(cov[i][j]*Xty[j] for j in range(P))/sg**2 for i in range(P)]
    # log p(y|sigma) with beta marginalised: -N log s - yty/2s^2 + m'prec m/2 - log|prec|/2 - P/2 log 100
    lp=-N*math.log(sg)-yty/(2*sg**2)+0.5*sum(mean[i]*sum(prec[i][j]*mean[j] for j in range(P)) for i in range(P))-0.5*math.log(det(prec))
    lp+=math.log(1/(1+(sg/5)**2))
    w=math.exp(lp+60); W+=w; s1+=w*sg; s2+=w*sg*sg
    for i in range(P): m1[i]+=w*mean[i]; m2[i]+=w*(cov[i][i]+mean[i]**2)
names=['alpha','beta[0]','beta[1]']
ref={names[i]:(m1[i]/W, math.sqrt(m2[i]/W-(m1[i]/W)**2)) for i in range(P)}; ref['sigma']=(s1/W, math.sqrt(s2/W-(s1/W)**2))
for g in sys.argv[1:]:
    fit={r['name']:(float(r['mean']),float(r['sd'])) for r in csv.DictReader(open(g+'/summary.csv'))}
    worst=(0,'');wm=(0,'')
    for k,(m,sd) in ref.items():
        fm,fs=fit[k]; e=abs(fs-sd)/sd; em=abs(fm-m)/sd; worst=max(worst,(e,k)); wm=max(wm,(em,k))
        print(f'linreg/{g.split("/")[-1]} {k:8s} ref {m:7.3f} ({sd:6.3f}) fit {fm:7.3f} ({fs:6.3f}) mean err {em:4.2f} sd, sd err {100*e:5.1f}%')
    print(f'linreg/{g.split("/")[-1]}: largest sd error {100*worst[0]:.1f}% ({worst[1]}), largest mean error {wm[0]:.2f} sd ({wm[1]})')
